package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.UpdateNode;

import java.sql.Connection;
import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * Changes a node's connection settings: a new super_conninfo must reach the server that was registered
 * ({@link NodeIdentity}), since the node's partitions are there and nowhere else; a server moved to another address
 * keeps its system identifier. The node work is the catalog flow's (the foreign servers follow the new address).
 */
record UpdateNodeExecutor(UpdateNode step) implements StepExecutor {
    UpdateNodeExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public boolean joinsRounds() {
        return true;
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) throws SQLException {
        if (!step.to().superConninfo().equals(step.from().superConninfo()) && !step.to().lost()) {
            try (Connection server = nodes.openSeparate(step.to())) {
                NodeIdentity.problem(step.from(), NodeIdentity.read(server)).ifPresent(problem -> {
                    throw new ShardmanException(ErrorCode.REFUSED, problem, "nothing was changed");
                });
            }
        }
        return StateProjection.apply(before, step);
    }
}
