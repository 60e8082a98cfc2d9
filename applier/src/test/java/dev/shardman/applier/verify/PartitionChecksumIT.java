package dev.shardman.applier.verify;

import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A move's verify reads each copy without parallel workers (they stalled the destination's writers on a small node):
 * with the planner pushed to a parallel plan, the checksum's plan has no Gather inside {@code withoutParallelWorkers},
 * the figures are those of the plain checksum, and the session's setting is back afterwards, also after a failure.
 */
@LocalClusterTest(workers = 1)
class PartitionChecksumIT {
    private static final List<String> COLUMNS = List.of("id", "payload");

    @Test
    void readsWithoutParallelWorkersAndPutsTheSettingBack(TestCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(1)); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE checksum_rows AS SELECT i AS id, md5(i::text) AS payload FROM generate_series(1, 20000) i");
            statement.execute("ANALYZE checksum_rows");
            // make any scan worth parallel workers, so that the plain plan has a Gather (the control below)
            statement.execute("SET parallel_setup_cost = 0");
            statement.execute("SET parallel_tuple_cost = 0");
            statement.execute("SET min_parallel_table_scan_size = 0");
            statement.execute("SET max_parallel_workers_per_gather = 3");
            String explain = "EXPLAIN " + PartitionChecksum.sql("public", "checksum_rows", COLUMNS);
            assertTrue(plan(statement, explain).contains("Gather"), "the control: the plain plan is parallel");

            String serialPlan = PartitionChecksum.withoutParallelWorkers(connection, () -> plan(statement, explain));
            assertFalse(serialPlan.contains("Gather"), serialPlan);
            assertEquals("3", setting(statement));

            TableChecksum plain = PartitionChecksum.of(connection, "public", "checksum_rows", COLUMNS);
            assertEquals(plain, PartitionChecksum.withoutParallelWorkers(connection, "public", "checksum_rows", COLUMNS));
            assertEquals(20000, plain.rows());

            assertThrows(SQLException.class, () -> PartitionChecksum.withoutParallelWorkers(connection, "public", "checksum_missing", COLUMNS));
            assertEquals("3", setting(statement), "an autocommit session gets its setting back after a failed checksum");
        }
    }

    private static String plan(Statement statement, String explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = statement.executeQuery(explain)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static String setting(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SHOW max_parallel_workers_per_gather")) {
            row.next();
            return row.getString(1);
        }
    }
}
