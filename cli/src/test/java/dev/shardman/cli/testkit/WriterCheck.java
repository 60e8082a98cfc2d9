package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.TestCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link WriterLog} against the cluster, read through the parent table on one worker: every committed
 * insert present exactly once (lost = absent, duplicated = more than one row with the id anywhere in the
 * table), no row the writer did not commit, every updated row with its last committed value, and the
 * table's row count = loaded + inserted (give or take the uncertain ids).
 */
public record WriterCheck(int worker, long lost, long duplicated, long unexpected, long staleUpdates, long rows, long expectedRows) {

    public static WriterCheck of(TestCluster cluster, int worker, WriterLog log) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker))) {
            Map<Long, Long> newIds = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, count(*) FROM " + log.table() + " WHERE id >= ? GROUP BY id")) {
                statement.setLong(1, log.firstNewId());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        newIds.put(rows.getLong(1), rows.getLong(2));
                    }
                }
            }
            long lost = log.inserted().stream().filter(id -> !newIds.containsKey(id)).count();
            long unexpected = newIds.keySet().stream().filter(id -> !log.inserted().contains(id) && !log.uncertain().contains(id)).count();
            long duplicated = single(connection, "SELECT count(*) FROM (SELECT id FROM " + log.table() + " GROUP BY id HAVING count(*) > 1) AS d");
            long staleUpdates = 0;
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, val FROM " + log.table() + " WHERE id = ANY (?)")) {
                statement.setArray(1, connection.createArrayOf("bigint", log.lastValues().keySet().toArray()));
                Map<Long, Long> found = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getLong(1), rows.getLong(2));
                    }
                }
                for (Map.Entry<Long, Long> update : log.lastValues().entrySet()) {
                    if (!log.uncertain().contains(update.getKey()) && !update.getValue().equals(found.get(update.getKey()))) {
                        staleUpdates++;
                    }
                }
            }
            long rows = single(connection, "SELECT count(*) FROM " + log.table());
            return new WriterCheck(worker, lost, duplicated, unexpected, staleUpdates, rows, log.existingIds() + log.inserted().size());
        }
    }

    /** 0 lost, 0 duplicated, nothing unexpected, every update present, and the count adds up. */
    public boolean clean(WriterLog log) {
        return lost == 0 && duplicated == 0 && unexpected == 0 && staleUpdates == 0
                && rows >= expectedRows && rows <= expectedRows + log.uncertain().size();
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
