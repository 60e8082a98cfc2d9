package dev.shardman.applier.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code shardman.automatic_failovers}: the nodes the monitor declared lost (not the spec), and when. Plan and drift-check
 * name the time when they ask for the spec edit; a node name is recorded once (a lost node never comes back under it).
 */
public final class AutomaticFailovers {
    private static final String RECORD = """
            INSERT INTO shardman.automatic_failovers (node_name, node_id, unreachable_for, decided_by)
            VALUES (?, ?, make_interval(secs => ?), ?) ON CONFLICT (node_name) DO NOTHING""";
    private static final String READ = "SELECT node_name, failed_over_at FROM shardman.automatic_failovers";

    private AutomaticFailovers() {
    }

    public static void record(Connection shardlord, String node, long nodeId, Duration unreachableFor, String decidedBy) throws SQLException {
        try (PreparedStatement insert = shardlord.prepareStatement(RECORD)) {
            insert.setString(1, node);
            insert.setLong(2, nodeId);
            insert.setDouble(3, unreachableFor.toMillis() / 1000.0);
            insert.setString(4, decidedBy);
            insert.executeUpdate();
        }
    }

    /** When each node the monitor declared lost was failed over, by node name. */
    public static Map<String, Instant> read(Connection shardlord) throws SQLException {
        Map<String, Instant> failedOver = new TreeMap<>();
        try (PreparedStatement select = shardlord.prepareStatement(READ); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                failedOver.put(rows.getString(1), rows.getTimestamp(2).toInstant());
            }
        }
        return failedOver;
    }
}
