package dev.shardman.applier.replication;

import dev.shardman.applier.connect.UnloggedStatement;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.objects.SqlNames;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Runs replication DDL alone, in autocommit (the connection's mode is restored), with identifiers
 * and literals escaped by pgjdbc. An error never quotes the statement (a CREATE SUBSCRIPTION
 * carries a conninfo that may hold a password).
 */
public final class ReplicationSql {
    private static final long CATCH_UP_MILLIS = 15_000;

    private ReplicationSql() {
    }

    /** Runs {@code sql} alone in autocommit (what CREATE/DROP SUBSCRIPTION need), restoring the connection's mode. */
    public static void execute(Connection connection, String sql) throws SQLException {
        inAutocommit(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        });
    }

    /** {@link #execute} of a statement that carries a conninfo with a password: the server neither logs nor records its text. */
    public static void executeWithSecret(Connection connection, String sql) throws SQLException {
        inAutocommit(connection, () -> UnloggedStatement.execute(connection, sql));
    }

    /**
     * Ends the workers of {@code subscription} (the launcher starts them again): after a new CONNECTION, a worker still
     * waiting for an answer from the old address (a host that accepted the connection and hangs) would never read it.
     */
    public static void restartWorkers(Connection connection, String subscription) throws SQLException {
        inAutocommit(connection, () -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(pg_catalog.pg_terminate_backend(pid))"
                    + " FROM pg_catalog.pg_stat_subscription WHERE subname = ? AND pid IS NOT NULL")) {
                statement.setString(1, subscription);
                statement.executeQuery().close();
            }
        });
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    /** {@code work} in autocommit, the connection's mode restored after it. */
    private static void inAutocommit(Connection connection, SqlWork work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try {
            work.run();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * {@link #execute} with {@code synchronous_commit = local} for this statement's commit: a catalog change that must
     * not wait for the node's synchronous standbys (one that is down would hold it, and with it a write fence).
     */
    public static void executeLocally(Connection connection, String sql) throws SQLException {
        execute(connection, "SET synchronous_commit = local");
        try {
            execute(connection, sql);
        } finally {
            execute(connection, "RESET synchronous_commit");
        }
    }

    /** DROP SUBSCRIPTION; if the publisher cannot be reached to drop the slot: DISABLE, SET (slot_name = NONE), DROP. */
    public static void dropSubscription(Connection connection, String subscription) throws SQLException {
        String name = SqlNames.identifier(subscription);
        try {
            execute(connection, "DROP SUBSCRIPTION IF EXISTS " + name);
        } catch (SQLException publisherGone) {
            execute(connection, "ALTER SUBSCRIPTION " + name + " DISABLE");
            execute(connection, "ALTER SUBSCRIPTION " + name + " SET (slot_name = NONE)");
            execute(connection, "DROP SUBSCRIPTION IF EXISTS " + name);
        }
    }

    /** Drops the slot if it is there and no walsender uses it (autocommit). */
    public static void dropSlot(Connection connection, String slot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            statement.setString(1, slot);
            // dropped when it was there and idle
            inAutocommit(connection, () -> statement.executeQuery().close());
        }
    }

    /**
     * Waits (at most 15 s) until the slot {@code slot} on this source has confirmed the source's
     * current WAL position, so that changes to tables just left out of a publication are applied
     * before their replica tables go; a slot that does not exist (or is slow) does not stop the step.
     */
    static void awaitSlotCatchUp(Connection connection, String slot) throws SQLException {
        String target;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text")) {
            row.next();
            target = row.getString(1);
        }
        long deadline = System.currentTimeMillis() + CATCH_UP_MILLIS;
        // an idle slot confirms within milliseconds: look soon, then less often
        long pause = 5;
        while (System.currentTimeMillis() < deadline) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT coalesce(bool_and(confirmed_flush_lsn >= ?::pg_lsn), true)
                    FROM pg_catalog.pg_replication_slots WHERE slot_name = ?""")) {
                statement.setString(1, target);
                statement.setString(2, slot);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        return;
                    }
                }
            }
            sleep(pause);
            pause = Math.min(100, pause * 2);
        }
    }

    static java.util.Map<TableName, Long> sizes(Connection connection, Collection<TableName> tables) throws SQLException {
        java.util.Map<TableName, Long> result = new java.util.HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT n.nspname, c.relname, pg_catalog.pg_total_relation_size(c.oid)
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                JOIN unnest(?::text[], ?::text[]) AS t(schema_name, relation_name) ON t.schema_name = n.nspname AND t.relation_name = c.relname""")) {
            statement.setArray(1, connection.createArrayOf("text", tables.stream().map(TableName::schema).toArray()));
            statement.setArray(2, connection.createArrayOf("text", tables.stream().map(TableName::name).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.put(new TableName(rows.getString(1), rows.getString(2)), rows.getLong(3));
                }
            }
        }
        return result;
    }

    /** TRUNCATE of those of {@code tables} that exist, as the replication apply worker would (the read-only trigger does not fire). */
    static void truncateReplicaCopies(Connection connection, Collection<TableName> tables) throws SQLException {
        java.util.Map<TableName, Long> present = sizes(connection, tables);
        if (present.isEmpty()) {
            return;
        }
        execute(connection, "SET session_replication_role = replica");
        try {
            execute(connection, "TRUNCATE " + tables(present.keySet()));
        } finally {
            execute(connection, "RESET session_replication_role");
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    static String tables(Collection<TableName> tables) {
        return tables.stream().sorted().map(table -> SqlNames.identifier(table.schema()) + "." + SqlNames.identifier(table.name())).collect(Collectors.joining(", "));
    }
}
