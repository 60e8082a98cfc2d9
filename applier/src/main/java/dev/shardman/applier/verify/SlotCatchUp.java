package dev.shardman.applier.verify;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Waits on a source node until its replication slots have confirmed a WAL position: the subscriber
 * of a slot has then applied (and flushed) every change committed before that position.
 */
final class SlotCatchUp {
    private static final String CONFIRMED = """
            SELECT slot_name, coalesce(confirmed_flush_lsn >= ?::pg_lsn, false), coalesce(confirmed_flush_lsn::text, 'nothing')
            FROM pg_catalog.pg_replication_slots WHERE slot_name = ANY (?)""";

    private SlotCatchUp() {
    }

    /** The slots of {@code slots} that had not confirmed {@code position} within {@code timeout}, keyed {@code "<node> <slot>"}, with why. */
    static Map<String, String> await(Connection connection, String node, Set<String> slots, String position, Duration timeout, long pollMillis)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> behind = new TreeMap<>();
        while (true) {
            behind.clear();
            for (String slot : slots) {
                behind.put(node + " " + slot, slot.isEmpty() ? "no replication channel feeds this copy"
                        : "slot " + slot + " on " + node + " is missing");
            }
            try (PreparedStatement statement = connection.prepareStatement(CONFIRMED)) {
                Array names = connection.createArrayOf("text", slots.toArray());
                statement.setString(1, position);
                statement.setArray(2, names);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String key = node + " " + rows.getString(1);
                        if (rows.getBoolean(2)) {
                            behind.remove(key);
                        } else {
                            behind.put(key, "slot " + rows.getString(1) + " on " + node + " had confirmed " + rows.getString(3)
                                    + ", not yet " + position + ", after " + timeout.toSeconds() + " s: the copy may only be late");
                        }
                    }
                }
            }
            if (behind.isEmpty() || System.nanoTime() > deadline) {
                return Map.copyOf(behind);
            }
            Thread.sleep(pollMillis);
        }
    }
}
