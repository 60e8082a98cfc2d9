package dev.shardman.applier.monitor;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the client backends of a node's database that are in a transaction, with the pids blocking each lock wait
 * ({@code pg_blocking_pids}, called for lock waiters only: it takes the lock manager's partition locks).
 */
final class NodeWaits {
    private static final String BACKENDS = """
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), coalesce(a.wait_event_type, ''),
                   coalesce(a.wait_event, ''), coalesce(a.query, ''), (extract(epoch FROM a.xact_start) * 1000000)::bigint,
                   coalesce((extract(epoch FROM pg_catalog.now() - coalesce(a.query_start, a.xact_start)) * 1000)::bigint, 0),
                   CASE WHEN a.wait_event_type = 'Lock' THEN pg_catalog.pg_blocking_pids(a.pid) ELSE '{}'::int[] END
            FROM pg_catalog.pg_stat_activity a
            WHERE a.backend_type = 'client backend' AND a.pid <> pg_catalog.pg_backend_pid()
              AND a.xact_start IS NOT NULL AND a.datname = pg_catalog.current_database()
            ORDER BY a.pid""";

    private NodeWaits() {
    }

    static List<Backend> read(Connection connection, String node) throws SQLException {
        List<Backend> backends = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(BACKENDS); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                backends.add(new Backend(new BackendKey(node, rows.getInt(1)), rows.getLong(7), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), rows.getString(6), rows.getLong(8), pids(rows.getArray(9))));
            }
        }
        return List.copyOf(backends);
    }

    private static List<Integer> pids(Array array) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        if (array != null) {
            for (Object pid : (Object[]) array.getArray()) {
                pids.add(((Number) pid).intValue());
            }
        }
        return pids;
    }
}
