package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

/**
 * How many primary moves an apply runs at once ({@code --parallelism}, default 1: one at a time) and how many of them
 * may have one node as source or destination ({@code --max-moves-per-node}); see {@link MovesAhead}.
 */
public record MoveParallelism(int moves, int perNode) {
    /** The per-node cap by default: a node joining the cluster receives this many moves at once. */
    public static final int DEFAULT_PER_NODE = 4;
    public static final MoveParallelism ONE_AT_A_TIME = new MoveParallelism(1, DEFAULT_PER_NODE);

    public MoveParallelism {
        if (moves < 1 || perNode < 1) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "--parallelism and --max-moves-per-node must be at least 1 (given "
                    + moves + " and " + perNode + ")", "give a positive number, e.g. --parallelism 4");
        }
    }
}
