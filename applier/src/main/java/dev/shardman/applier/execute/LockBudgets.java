package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How many locks a grouped round ({@link StepGroup}) may take on each node: half the node's shared lock table
 * ({@link NodeRequirements.ServerFacts#lockTable}), at most {@link StepGroup#LOCK_BUDGET}, read once per node per
 * command. A node whose settings cannot be read gets none: its steps run alone, as they did before rounds existed.
 */
final class LockBudgets implements StepGroup.LockBudget {
    private final Function<NodeState, Connection> connections;
    private final Map<String, Long> budgets = new HashMap<>();

    LockBudgets(Function<NodeState, Connection> connections) {
        this.connections = connections;
    }

    /** The budget of the node {@code name} of {@code state}; none for a node {@code state} does not have (not remembered). */
    @Override
    public long of(String name, ClusterState state) {
        Optional<NodeState> node = state.node(name);
        return node.isEmpty() ? 0 : budgets.computeIfAbsent(name, known -> read(node.get()));
    }

    private long read(NodeState node) {
        try {
            return Math.min(StepGroup.LOCK_BUDGET, NodeRequirements.read(connections.apply(node), node.name()).lockTable() / 2);
        } catch (SQLException | RuntimeException unreadable) {
            return 0;
        }
    }
}
