package dev.shardman.applier.execute;

import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a step's failure says when a statement of it ran out of lock wait (SQLSTATE 55P03, lock_not_available): the
 * node, the objects whose locks it took and the sessions holding locks on them ({@link LockBlockers}: pid,
 * application_name, since when). Read after the fact, once, in the step's error path: the waiting backend waits for
 * nothing any more, so the holders of the step's relations stand for its blockers.
 */
final class LockTimeoutBlockers {
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private LockTimeoutBlockers() {
    }

    /** Whether {@code failure} or one of its causes is a lock wait that ran out. */
    static boolean isLockTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * "lock timeout on w1 taking locks on public.customers: held by pid 4242 (application_name 'report', …)", for the
     * node {@code where} when the failure named one, else each node of the step; best effort (a node that cannot be read
     * says so).
     */
    static String describe(Step step, ClusterState state, String where, Function<NodeState, Connection> open) {
        List<String> relations = relations(step, state);
        List<NodeState> nodes = state.node(where).map(List::of).orElseGet(() -> step.nodes().stream()
                .flatMap(name -> state.node(name).stream()).filter(node -> !node.lost()).toList());
        List<String> lines = new ArrayList<>();
        for (NodeState node : nodes) {
            lines.add("lock timeout on " + node.name() + " taking locks on " + String.join(", ", relations) + ": " + holders(node, relations, open));
        }
        return String.join("; ", lines);
    }

    private static String holders(NodeState node, List<String> relations, Function<NodeState, Connection> open) {
        try (Connection watcher = open.apply(node)) {
            List<LockBlockers.Blocker> holders = new LockBlockers(watcher).holdersOf(relations);
            return holders.isEmpty() ? "no session holds a lock on them now"
                    : "held by " + holders.stream().map(LockBlockers.Blocker::describe).collect(Collectors.joining(", "));
        } catch (SQLException | ShardmanException unreadable) {
            return "its lock holders could not be read (" + unreadable.getMessage() + ")";
        }
    }

    /** The step's tables, partitions and their parents as qualified names; a step on no table (a node's) locks every table. */
    static List<String> relations(Step step, ClusterState state) {
        TreeSet<String> relations = new TreeSet<>();
        for (String object : step.objects()) {
            String name = object.startsWith("table ") ? object.substring("table ".length()) : object;
            state.table(name).ifPresent(table -> relations.add(qualified(table, name)));
            // a partition's statements lock its parent too (a move's cutover, an attach): both are named
            partitionTable(state, name).ifPresent(table -> relations.addAll(List.of(qualified(table, name), qualified(table, table.name()))));
        }
        if (relations.isEmpty()) {
            state.tables().forEach(table -> relations.add(qualified(table, table.name())));
        }
        return List.copyOf(relations);
    }

    private static Optional<TableState> partitionTable(ClusterState state, String name) {
        return state.partitions().stream().filter(partition -> partition.name().equals(name)).map(PartitionState::table).findFirst()
                .flatMap(state::table);
    }

    private static String qualified(TableState table, String relation) {
        return SqlNames.qualified(new TableName(table.schema(), relation));
    }
}
