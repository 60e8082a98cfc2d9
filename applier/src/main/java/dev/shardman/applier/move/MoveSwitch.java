package dev.shardman.applier.move;

import dev.shardman.applier.connect.NodeThreads;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.ObjectChange;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.ReconcileOptions;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.DerivedNames;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Phases {@code switch-destination} and {@code switch-others}, both after the source's cutover committed: the
 * destination attaches its copy in one transaction (skipped when already attached), then the reconciler, given the
 * state AFTER the move, checks the destination and repoints every other live node but the source, each node under a
 * lock timeout and retried. The source is reconciled in cleanup. {@code excluded}: partitions of other moves in
 * flight, left alone (docs/internals/moves.md, "Switch").
 */
final class MoveSwitch {
    /** Below deadlock_timeout, as the cutover's ({@code MoveCutover.LOCK_TIMEOUT}): a switch steps back, a writer is never the deadlock victim. */
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(400);
    static final int ATTEMPTS = 12;
    static final Duration DESTINATION_LOCK_TIMEOUT = Duration.ofMillis(200);
    static final int DESTINATION_ATTEMPTS = 20;

    private MoveSwitch() {
    }

    static void destination(MoveContext context) throws SQLException {
        Connection destination = context.connections().shared(context.destination());
        if (MoveSql.queryBoolean(destination, "SELECT coalesce((SELECT relispartition FROM pg_catalog.pg_class WHERE oid = to_regclass(?)), false)",
                SqlNames.qualified(context.partition(context.tables().get(0))))) {
            return;
        }
        List<String> statements = new ArrayList<>();
        statements.add("SET LOCAL lock_timeout = '" + DESTINATION_LOCK_TIMEOUT.toMillis() + "ms'");
        statements.add("LOCK TABLE " + context.tables().stream().map(table -> SqlNames.qualified(context.partition(table)))
                .collect(Collectors.joining(", ")) + " IN ACCESS EXCLUSIVE MODE");
        for (TableState table : context.tables()) {
            TableName foreign = context.foreignPartition(table);
            if (MoveSql.exists(destination, foreign)) {
                statements.add("ALTER TABLE " + SqlNames.qualified(context.parent(table)) + " DETACH PARTITION " + SqlNames.qualified(foreign));
                statements.add("DROP FOREIGN TABLE " + SqlNames.qualified(foreign));
            }
            statements.add(context.render("move_attach_copy", Map.of("parent", SqlNames.qualified(context.parent(table)),
                    "table", SqlNames.qualified(context.partition(table)), "modulus", table.partitions(), "remainder", context.index(),
                    "check", SqlNames.identifier(context.checkConstraint()))));
        }
        MoveSql.retrying(DESTINATION_ATTEMPTS, () -> {
            MoveSql.inTransaction(destination, statements);
            return null;
        });
    }

    /** Reconciles {@code nodes} (in this order) to the state after the move; returns what changed, one line each. */
    static List<String> reconcile(MoveContext context, List<NodeState> nodes, Set<TableName> excluded) throws SQLException {
        return reconcile(context, context.before(), context.after(), nodes, excluded);
    }

    /**
     * As {@link #reconcile}, narrowed to the moved unit's tables (and the node-wide objects): all that a move changes on
     * a node. A full reconcile inspected every table of every node, which made each move's switch grow with the cluster;
     * drift elsewhere is repaired by the recovery every apply runs first, and reported by drift-check. The first node
     * alone (the destination: the check of the switch), then the others at once, each on its own connection in its own
     * thread: they are independent, and one after the other they were most of a near-empty partition's move on 10 nodes.
     */
    static List<String> reconcileUnit(MoveContext context, List<NodeState> nodes, Set<TableName> excluded) throws SQLException {
        Set<String> unit = context.tables().stream().map(TableState::name).collect(Collectors.toSet());
        ClusterState before = unitOnly(context.before(), unit);
        ClusterState after = unitOnly(context.after(), unit);
        List<String> changed = new ArrayList<>(reconcile(context, before, after, nodes.subList(0, Math.min(1, nodes.size())), excluded));
        List<NodeState> others = nodes.subList(Math.min(1, nodes.size()), nodes.size());
        changed.addAll(others.size() < 2 ? reconcile(context, before, after, others, excluded)
                : reconcileAtOnce(context, before, after, others, excluded));
        return changed;
    }

    /** {@code nodes} at once, one thread and connection each; a failure is thrown once every node's work ended. */
    private static List<String> reconcileAtOnce(MoveContext context, ClusterState before, ClusterState after, List<NodeState> nodes,
                                                Set<TableName> excluded) throws SQLException {
        List<String> changed = new ArrayList<>();
        // the shared connections are fetched here: the command's connection cache is not for other threads
        Map<NodeState, Connection> connections = new LinkedHashMap<>();
        for (NodeState node : nodes) {
            connections.put(node, context.connections().shared(node));
        }
        try (NodeThreads threads = new NodeThreads("shardman-move-switch", nodes.size())) {
            List<Future<List<String>>> running = new ArrayList<>();
            connections.forEach((node, connection) -> running.add(threads.submit(
                    () -> reconcileNode(context, connection, node, before, after, excluded))));
            // no thread may still use a connection when the caller goes on
            Throwable first = null;
            for (Future<List<String>> future : running) {
                try {
                    changed.addAll(awaitUninterruptibly(future));
                } catch (ExecutionException failed) {
                    first = first == null ? failed.getCause() : first;
                }
            }
            if (first instanceof SQLException sql) {
                throw sql;
            }
            if (first != null) {
                throw first instanceof RuntimeException runtime ? runtime : new IllegalStateException(first);
            }
            return changed;
        }
    }

    private static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException again) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code state} with only {@code tables}, their partitions and their replicas (nodes and settings unchanged). */
    static ClusterState unitOnly(ClusterState state, Set<String> tables) {
        List<TableState> kept = state.tables().stream().filter(table -> tables.contains(table.name())).toList();
        List<PartitionState> partitions = state.partitions().stream().filter(partition -> tables.contains(partition.table())).toList();
        Set<String> names = partitions.stream().map(partition -> DerivedNames.partition(partition.table(), partition.index()))
                .collect(Collectors.toSet());
        List<ReplicaState> replicas = state.replicas().stream().filter(replica -> names.contains(replica.partition())).toList();
        return new ClusterState(state.lineage(), state.serial(), state.nodes(), kept, partitions, replicas, state.settings());
    }

    private static List<String> reconcile(MoveContext context, ClusterState before, ClusterState after, List<NodeState> nodes,
                                          Set<TableName> excluded) throws SQLException {
        List<String> changed = new ArrayList<>();
        for (NodeState node : nodes) {
            changed.addAll(reconcileNode(context, context.connections().shared(node), node, before, after, excluded));
        }
        return changed;
    }

    /** One node in its own transaction under the lock timeout, tried again on a lock timeout or deadlock; what changed, one line each. */
    private static List<String> reconcileNode(MoveContext context, Connection connection, NodeState node, ClusterState before, ClusterState after,
                                              Set<TableName> excluded) throws SQLException {
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(context.after(), context.secrets()),
                new ReconcileOptions(LOCK_TIMEOUT, false)).excluding(excluded);
        List<ObjectChange> changes = MoveSql.retrying(ATTEMPTS, () -> reconciler.reconcile(connection,
                ExpectedObjects.forNode(after, node.name()), List.of(before, after)));
        return changes.stream().map(change -> node.name() + ": " + change.describe()).toList();
    }
}
