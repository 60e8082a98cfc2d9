package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.StepRun;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.MovePrimary;

import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * MovePrimary: an online move of a partition unit's primary ({@code applier.move.MoveRunner}), data move {@code unit} of
 * {@code units} in the plan. Its node work is its own phased flow, not the uniform prepared-transaction one:
 * {@link StepRunner} journals the start and a failure as for every step and hands the rest to {@link #run}.
 */
record MovePrimaryExecutor(MovePrimary step, int unit, int units) implements OwnFlowExecutor {
    MovePrimaryExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        return projected(before);
    }

    @Override
    public ClusterState run(StepRun run, ClusterState before, StepServices services) throws SQLException {
        projected(before);
        return services.moves().run(step, run, before, unit, units);
    }

    /** The state after the move, once the metadata says the unit is on the source and the destination is a live node without a copy of it. */
    private ClusterState projected(ClusterState before) {
        String anchor = step.unit().partitionNames().get(0);
        boolean onSource = before.partition(step.unit().anchor(), step.unit().index()).map(partition -> partition.node().equals(step.from()))
                .orElse(false);
        if (!onSource) {
            throw new ShardmanException(ErrorCode.STALE_PLAN, anchor + " is not on " + step.from() + " any more", "run plan again");
        }
        if (before.node(step.to()).map(node -> node.lost()).orElse(true)) {
            throw new ShardmanException(ErrorCode.REFUSED, "cannot move " + anchor + " to " + step.to() + ": not a live node", "run plan again");
        }
        if (step.unit().partitionNames().stream().anyMatch(partition -> before.replicaNodesOf(partition).contains(step.to()))) {
            throw new ShardmanException(ErrorCode.REFUSED, "cannot move " + step.unit().describe() + " to " + step.to()
                    + ": it holds a replica of it", "this is a planner bug; please report it with the plan");
        }
        return StateProjection.apply(before, step);
    }
}
