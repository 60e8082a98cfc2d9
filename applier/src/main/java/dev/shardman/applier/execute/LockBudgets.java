package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How many locks a grouped round ({@link StepGroup}) may take on each node: half the node's shared lock table, at most
 * {@link StepGroup#LOCK_BUDGET}, read once per node per command. A node whose settings cannot be read gets none: its
 * steps run alone, as they did before rounds existed (its round would fail at that node anyway).
 */
final class LockBudgets {
    private static final String LOCK_TABLE = "SELECT current_setting('max_locks_per_transaction')::bigint"
            + " * (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint)";

    private final Function<NodeState, Connection> connections;
    private final Map<String, Long> budgets = new HashMap<>();

    LockBudgets(Function<NodeState, Connection> connections) {
        this.connections = connections;
    }

    /** The budget of the node {@code name} of {@code state} (a group's steps change no node: its first state has them all). */
    long of(String name, ClusterState state) {
        return budgets.computeIfAbsent(name, node -> state.node(node).map(this::read).orElse(0L));
    }

    private long read(NodeState node) {
        try (Statement statement = connections.apply(node).createStatement(); ResultSet rows = statement.executeQuery(LOCK_TABLE)) {
            return rows.next() ? Math.min(StepGroup.LOCK_BUDGET, rows.getLong(1) / 2) : 0;
        } catch (SQLException | RuntimeException unreadable) {
            return 0;
        }
    }
}
