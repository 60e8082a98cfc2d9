package dev.shardman.applier.move;

import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.ObjectChange;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.ReconcileOptions;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Phases {@code switch-destination} and {@code switch-others}, both after the source's cutover committed.
 *
 * <p>Destination, one transaction: lock each copy {@code t_n} first (ACCESS EXCLUSIVE: otherwise the CHECK's read
 * of the parent deadlocks with the apply worker), detach and drop {@code t_n_fdw}, attach {@code t_n} (the CHECK
 * spares the scan), drop the CHECK. Skipped when {@code t_n} is attached already (a resumed move).
 *
 * <p>Then the reconciler, given the expected objects of the state AFTER the move, node by node: the destination first
 * (it must now match exactly: a check of the switch), then every other live node but the source, where it repoints
 * {@code t_n_fdw} at the destination (a changed server is a REPLACE of the foreign partition). Each node in its own
 * transaction under a lock timeout, tried again on a lock timeout or deadlock. The source is reconciled in cleanup
 * (its proxy goes then). {@code excluded}: partitions of other moves in flight, left alone.
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
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(context.after(), context.environment()),
                new ReconcileOptions(LOCK_TIMEOUT, false)).excluding(excluded);
        List<String> changed = new ArrayList<>();
        for (NodeState node : nodes) {
            List<ObjectChange> changes = MoveSql.retrying(ATTEMPTS, () -> reconciler.reconcile(context.connections().shared(node),
                    ExpectedObjects.forNode(context.after(), node.name()), List.of(context.before(), context.after())));
            changes.forEach(change -> changed.add(node.name() + ": " + change.describe()));
        }
        return changed;
    }
}
