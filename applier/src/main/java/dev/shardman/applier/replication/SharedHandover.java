package dev.shardman.applier.replication;

import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.objects.SqlNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The replication side of a shared table's master change (no row is copied again): handover slots on the new master,
 * created before the fence and advanced to the new master's WAL position at the fence, so that each destination's
 * subscription from the new master starts exactly where the old master's stream ended; the table joins the new
 * master's publication; existing subscriptions from the new master take it without copying. Each statement runs alone
 * in autocommit and is idempotent.
 */
public final class SharedHandover {
    private SharedHandover() {
    }

    /** Creates the logical slot {@code slot} on the new master unless it exists (waits for the transactions running there). */
    public static void createSlot(Connection newMaster, String slot) throws SQLException {
        query(newMaster, """
                SELECT pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput')
                WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = ?)""", slot, slot);
    }

    /** Moves the handover slot {@code slot} to {@code position}: the destination's copy already holds every change before it. */
    public static void advanceSlot(Connection newMaster, String slot, String position) throws SQLException {
        query(newMaster, """
                SELECT pg_catalog.pg_replication_slot_advance(slot_name, ?::pg_lsn) FROM pg_catalog.pg_replication_slots
                WHERE slot_name = ? AND confirmed_flush_lsn < ?::pg_lsn""", position, slot, position);
    }

    /** The node's current WAL insert position, as text. */
    public static String currentPosition(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text")) {
            row.next();
            return row.getString(1);
        }
    }

    /** Puts {@code table} into the master's shared publication (created with it when absent). */
    public static void publish(Connection master, TableName table) throws SQLException {
        Optional<Boolean> member = membership(master, table);
        String publication = SqlNames.identifier(Channel.SHARED_PUBLICATION);
        if (member.isEmpty()) {
            ReplicationSql.execute(master, "CREATE PUBLICATION " + publication + " FOR TABLE " + ReplicationSql.tables(List.of(table)));
        } else if (!member.get()) {
            ReplicationSql.execute(master, "ALTER PUBLICATION " + publication + " ADD TABLE " + ReplicationSql.tables(List.of(table)));
        }
    }

    /** The statement that takes {@code table} out of the old master's shared publication (run inside its fence transaction). */
    public static void unpublishInTransaction(Connection oldMaster, TableName table) throws SQLException {
        if (membership(oldMaster, table).orElse(false)) {
            try (Statement statement = oldMaster.createStatement()) {
                statement.execute("ALTER PUBLICATION " + SqlNames.identifier(Channel.SHARED_PUBLICATION) + " DROP TABLE "
                        + ReplicationSql.tables(List.of(table)));
            }
        }
    }

    /** An existing subscription from the new master takes the table it now publishes, without copying it. */
    public static void refreshWithoutCopy(Connection destination, String subscription) throws SQLException {
        ReplicationSql.execute(destination, "ALTER SUBSCRIPTION " + SqlNames.identifier(subscription)
                + " REFRESH PUBLICATION WITH (copy_data = false)");
    }

    /** Whether {@code destination} has the subscription {@code subscription}. */
    public static boolean subscribed(Connection destination, String subscription) throws SQLException {
        try (PreparedStatement statement = destination.prepareStatement("SELECT count(*) FROM pg_catalog.pg_subscription WHERE subname = ?")) {
            statement.setString(1, subscription);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    /**
     * Waits until every slot of {@code slots} on the old master confirmed {@code position} and, on each destination, its
     * subscription holds {@code table} ready (initial copy done); returns the destinations still behind (empty: caught up).
     */
    public static Map<String, String> awaitCopies(Connection oldMaster, Map<String, Connection> destinations, Map<String, String> slots,
                                                  TableName table, String position, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> behind = new TreeMap<>();
        while (true) {
            behind.clear();
            for (Map.Entry<String, String> slot : slots.entrySet()) {
                String state = tableState(destinations.get(slot.getKey()), slot.getValue(), table);
                if (!"r".equals(state)) {
                    behind.put(slot.getKey(), "its copy of " + table + " is not ready (subscription " + slot.getValue() + ", state " + state + ")");
                } else if (!confirmed(oldMaster, slot.getValue(), position)) {
                    behind.put(slot.getKey(), "slot " + slot.getValue() + " has not confirmed " + position);
                }
            }
            if (behind.isEmpty() || System.nanoTime() > deadline) {
                return Map.copyOf(behind);
            }
            ReplicationSql.sleep(20);
        }
    }

    /**
     * Creates the subscription of a shared channel on its handover slot: the slot is copied to the subscription's name
     * (same position), the subscription takes it without copying rows, then the handover slot goes.
     */
    static void subscribeFromHandover(Connection source, Connection destination, Channel channel, String conninfo, String synchronousCommit)
            throws SQLException {
        query(source, "SELECT pg_catalog.pg_copy_logical_replication_slot(?, ?)", channel.handoverSlot(), channel.subscription());
        ReplicationSql.executeWithSecret(destination, "CREATE SUBSCRIPTION " + SqlNames.identifier(channel.subscription()) + " CONNECTION "
                + SqlNames.literal(conninfo) + " PUBLICATION " + SqlNames.identifier(channel.publication())
                + " WITH (create_slot = false, copy_data = false, synchronous_commit = " + synchronousCommit + ")");
        ReplicationSql.dropSlot(source, channel.handoverSlot());
    }

    static String tableState(Connection destination, String subscription, TableName table) throws SQLException {
        try (PreparedStatement statement = destination.prepareStatement("""
                SELECT r.srsubstate::text FROM pg_catalog.pg_subscription_rel r JOIN pg_catalog.pg_subscription s ON s.oid = r.srsubid
                JOIN pg_catalog.pg_class c ON c.oid = r.srrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE s.subname = ? AND n.nspname = ? AND c.relname = ?""")) {
            statement.setString(1, subscription);
            statement.setString(2, table.schema());
            statement.setString(3, table.name());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : "missing";
            }
        }
    }

    static boolean confirmed(Connection oldMaster, String slot, String position) throws SQLException {
        try (PreparedStatement statement = oldMaster.prepareStatement(
                "SELECT coalesce(bool_and(confirmed_flush_lsn >= ?::pg_lsn), false) FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, position);
            statement.setString(2, slot);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The table's membership of the shared publication: empty when there is no such publication. */
    private static Optional<Boolean> membership(Connection master, TableName table) throws SQLException {
        try (PreparedStatement statement = master.prepareStatement("""
                SELECT EXISTS (SELECT FROM pg_catalog.pg_publication_tables t WHERE t.pubname = p.pubname AND t.schemaname = ? AND t.tablename = ?)
                FROM pg_catalog.pg_publication p WHERE p.pubname = ?""")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            statement.setString(3, Channel.SHARED_PUBLICATION);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private static void query(Connection connection, String sql, String... values) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int index = 0; index < values.length; index++) {
                statement.setString(index + 1, values[index]);
            }
            try (ResultSet ignored = statement.executeQuery()) {
                // the function's result is not needed
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
