package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ReplicationSql;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Phase {@code cleanup} (after the metadata commit) and the roll-back of a move that had not cut over; both idempotent.
 *
 * <p>Cleanup: the move's subscription on the destination (its slot on the source goes with it), the publication
 * and any leftover slot on the source, the proxy {@code t_n} on the source (by reconciling the source to the state
 * after the move, which also checks it), and the retired copies unless they are kept. Roll-back: the same channel,
 * then the destination's copies (only tables that carry this move's CHECK and are not attached: never anyone else's).
 */
final class MoveCleanup {
    private MoveCleanup() {
    }

    /** Returns the retired copies left on the source (empty when they were dropped). */
    static List<TableName> cleanUp(MoveContext context, boolean keepRetired, Set<TableName> excluded) throws SQLException {
        dropChannel(context.move(), context.connections().shared(context.source()), context.connections().shared(context.destination()));
        MoveSwitch.reconcileUnit(context, List.of(context.source()), excluded);
        return dropRetired(context, keepRetired);
    }

    /** Cleanup's part on the source, after the channel is gone: its proxy (by reconciling it) and the retired copies unless kept. */
    static List<TableName> cleanUpSource(MoveContext context, boolean keepRetired, Set<TableName> excluded) throws SQLException {
        MoveSwitch.reconcile(context, List.of(context.source()), excluded);
        return dropRetired(context, keepRetired);
    }

    /** The retired copies, dropped unless kept; returns those kept that exist. */
    private static List<TableName> dropRetired(MoveContext context, boolean keepRetired) throws SQLException {
        Connection source = context.connections().shared(context.source());
        List<TableName> kept = new ArrayList<>();
        for (TableState table : context.tables()) {
            TableName retired = context.retired(table);
            if (keepRetired) {
                if (MoveSql.exists(source, retired)) {
                    kept.add(retired);
                }
            } else {
                ReplicationSql.execute(source, "DROP TABLE IF EXISTS " + SqlNames.qualified(retired));
            }
        }
        dropRetiredSchemaIfEmpty(source);
        return kept;
    }

    /** Undoes a move that had not cut over: its channel, then the destination's copies; the source was never changed. */
    static void rollBack(MoveRecord move, NodeState source, NodeState destination, List<TableName> copies, MoveConnections connections)
            throws SQLException {
        Connection destinationConnection = connections.shared(destination);
        dropChannel(move, connections.shared(source), destinationConnection);
        for (TableName copy : copies) {
            if (isMoveCopy(destinationConnection, copy, move.channelName())) {
                ReplicationSql.execute(destinationConnection, "DROP TABLE " + SqlNames.qualified(copy));
            }
        }
    }

    /** Whether {@code table} is a standalone copy marked by the CHECK constraint {@code check} (a move's copy, not attached). */
    static boolean isMoveCopy(Connection connection, TableName table, String check) throws SQLException {
        return MoveSql.queryBoolean(connection, """
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid
                               WHERE c.oid = to_regclass(?) AND NOT c.relispartition AND k.conname = ?)""", SqlNames.qualified(table), check);
    }

    /** Subscription (dropping its slot), then the publication and a slot left without subscription. */
    static void dropChannel(MoveRecord move, Connection source, Connection destination) throws SQLException {
        String name = move.channelName();
        ReplicationSql.dropSubscription(destination, name);
        ReplicationSql.dropSlot(source, name);
        ReplicationSql.execute(source, "DROP PUBLICATION IF EXISTS " + SqlNames.identifier(name));
    }

    private static void dropRetiredSchemaIfEmpty(Connection source) throws SQLException {
        if (MoveSql.queryBoolean(source, """
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspname = ?)
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?)""",
                MoveRecord.RETIRED_SCHEMA, MoveRecord.RETIRED_SCHEMA)) {
            ReplicationSql.execute(source, "DROP SCHEMA IF EXISTS " + SqlNames.identifier(MoveRecord.RETIRED_SCHEMA));
        }
    }
}
