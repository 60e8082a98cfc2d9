package dev.shardman.applier.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The reads of one poll on one node, on a connection the caller opened: backends in a transaction, prepared transactions, slots. */
final class NodeSampler {
    private static final String PREPARED = """
            SELECT gid, (extract(epoch FROM pg_catalog.now() - prepared) * 1000)::bigint FROM pg_catalog.pg_prepared_xacts
            WHERE gid LIKE 'shardman\\_%' AND database = pg_catalog.current_database() ORDER BY prepared, gid""";
    private static final String SLOTS = """
            SELECT slot_name, active, coalesce(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), restart_lsn), 0)::bigint
            FROM pg_catalog.pg_replication_slots WHERE database = pg_catalog.current_database() ORDER BY slot_name""";

    private NodeSampler() {
    }

    static NodeSample sample(Connection connection, String node, long startedNanos) throws SQLException {
        List<Backend> backends = NodeWaits.read(connection, node);
        NodeSample.PreparedSummary prepared = prepared(connection);
        List<NodeSample.Slot> slots = slots(connection);
        return new NodeSample(node, Optional.empty(), Duration.ofNanos(System.nanoTime() - startedNanos), backends, prepared, slots);
    }

    private static NodeSample.PreparedSummary prepared(Connection connection) throws SQLException {
        List<String> gids = new ArrayList<>();
        long oldestMillis = 0;
        try (PreparedStatement statement = connection.prepareStatement(PREPARED); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                gids.add(rows.getString(1));
                oldestMillis = Math.max(oldestMillis, rows.getLong(2));
            }
        }
        return new NodeSample.PreparedSummary(gids.size(), Duration.ofMillis(oldestMillis), gids);
    }

    private static List<NodeSample.Slot> slots(Connection connection) throws SQLException {
        List<NodeSample.Slot> slots = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SLOTS); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                slots.add(new NodeSample.Slot(rows.getString(1), rows.getBoolean(2), rows.getLong(3)));
            }
        }
        return slots;
    }
}
