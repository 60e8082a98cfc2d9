package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.StepRun;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.ChangeSharedMaster;

import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * ChangeSharedMaster: a fenced switch that copies no row ({@link SharedMasterSwitch}); the old master must still be the
 * recorded one and the new one live. From a lost old master, the uniform flow (see {@link #fenced}).
 */
record SharedMasterExecutor(ChangeSharedMaster step) implements SwitchExecutor {
    SharedMasterExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        TableState table = before.table(step.table()).orElseThrow(() -> new ShardmanException(ErrorCode.STALE_PLAN,
                "shared table " + step.table() + " does not exist any more", "run plan again"));
        if (!table.master().map(step.from()::equals).orElse(false)) {
            throw new ShardmanException(ErrorCode.STALE_PLAN, "the master of " + step.table() + " is not " + step.from() + " any more", "run plan again");
        }
        if (before.node(step.to()).map(NodeState::lost).orElse(true)) {
            throw new ShardmanException(ErrorCode.REFUSED, "cannot change the master of " + step.table() + ": " + step.to() + " is not a live node",
                    "run plan again");
        }
        return StateProjection.apply(before, step);
    }

    /**
     * A lost old master has nothing to fence: the uniform flow makes the new master's copy THE table and the other copies
     * are copied again from it (they may differ from it by what the lost master streamed to some and not to others).
     */
    @Override
    public boolean fenced(ClusterState before) {
        return before.node(step.from()).map(node -> !node.lost()).orElse(false);
    }

    @Override
    public ClusterState switchOver(StepRun run, ClusterState before, SwitchTools tools) throws SQLException {
        return new SharedMasterSwitch(step, tools).switchOver(run, before, check(before, tools.nodes()));
    }

    @Override
    public void finish(ClusterState before, ClusterState after, SwitchTools tools) throws SQLException {
        new SharedMasterSwitch(step, tools).finish(before, after);
    }
}
