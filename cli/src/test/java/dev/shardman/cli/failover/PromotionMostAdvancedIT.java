package dev.shardman.cli.failover;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.awaitReplicasMatchPrimaries;
import static dev.shardman.cli.testkit.WorkerSql.fingerprint;
import static dev.shardman.cli.testkit.WorkerSql.localPartitions;
import static dev.shardman.cli.testkit.WorkerSql.replicaTables;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover picks the most advanced replica at run time: redundancy 2 on 4 workers, w2's subscription
 * from w1 is disabled (w2 lags) while more rows are written through w1, then w1 is cut off and marked
 * lost. The fence of MarkNodeLost only DISABLEs the survivors' subscriptions from w1 (their origins
 * keep the received positions, also across a crash before the first promotion), so each of w1's
 * partitions is promoted on the replica holder that has every row, never on the lagging w2 even though
 * w2 comes first in plan order; w2's copy is then copied again from the new primary, and no subscription
 * from w1 remains.
 */
@LocalClusterTest(workers = 4)
class PromotionMostAdvancedIT {
    private static final int ROWS = 1_000;
    private static final int WORKERS = 4;
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void theMostAdvancedReplicaIsPromotedAndTheLaggingOneIsCopiedAgain(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("r2.yaml"), WORKERS,
                ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 2"));
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS + ") AS g");
        awaitReplicasMatchPrimaries(cluster, 1, WORKERS, CONVERGENCE);

        String w1Conninfo = cluster.conninfo(cluster.worker(1));
        List<String> lagging = subscriptionsFrom(cluster, 2, w1Conninfo);
        assertEquals(1, lagging.size(), "w2 subscribes to w1 once: " + lagging);
        execute(cluster, 2, "ALTER SUBSCRIPTION " + lagging.get(0) + " DISABLE");
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'more ' || g FROM generate_series(" + (ROWS + 1) + ", "
                + (2 * ROWS) + ") AS g");

        List<String> lostPrimaries = localPartitions(cluster, 1);
        Map<String, Long> rowsBefore = new TreeMap<>();
        List<String> onW2 = new ArrayList<>();
        for (String partition : lostPrimaries) {
            rowsBefore.put(partition, queryLong(cluster, 1, "SELECT count(*) FROM public." + partition));
            if (replicaTables(cluster, 2).contains(partition)) {
                onW2.add(partition);
            }
        }
        assertFalse(onW2.isEmpty(), "some partition of w1 has a replica on w2");
        // the other holders of w1's partitions catch up; w2 does not
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        for (String partition : lostPrimaries) {
            for (int worker = 3; worker <= WORKERS; worker++) {
                if (replicaTables(cluster, worker).contains(partition)) {
                    while (queryLong(cluster, worker, "SELECT count(*) FROM public." + partition) != rowsBefore.get(partition)) {
                        assertTrue(System.nanoTime() < deadline, partition + " on w" + worker + " did not catch up");
                        Thread.sleep(200);
                    }
                }
            }
        }
        for (String partition : onW2) {
            assertTrue(queryLong(cluster, 2, "SELECT count(*) FROM public." + partition) < rowsBefore.get(partition), partition + " on w2 lags");
        }

        Path lost = directory.resolve("lost.yaml");
        Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
        setConnectionsAllowed(cluster, 1, false);
        try {
            // killed after MarkNodeLost, before the first promotion: the fenced subscriptions must still rank the replicas
            killedAt(lost, "promote-replica:" + lostPrimaries.get(0) + "@before");
            for (int worker = 2; worker <= WORKERS; worker++) {
                try (Connection connection = cluster.connect(cluster.worker(worker));
                     PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_subscription WHERE subconninfo = ? AND subenabled")) {
                    statement.setString(1, w1Conninfo);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        assertEquals(0L, row.getLong(1), "enabled subscriptions from the lost w1 on w" + worker);
                    }
                }
            }
            CliRun promoted = CliRun.of("apply", "-f", lost.toString(), "--auto-approve");
            assertEquals(0, promoted.exitCode(), promoted.out() + promoted.err());

            for (String partition : lostPrimaries) {
                int holder = 0;
                for (int worker = 2; worker <= WORKERS; worker++) {
                    if (localPartitions(cluster, worker).contains(partition)) {
                        holder = worker;
                    }
                }
                assertTrue(holder != 0, partition + " is attached nowhere");
                assertEquals(rowsBefore.get(partition), queryLong(cluster, holder, "SELECT count(*) FROM public." + partition),
                        partition + " promoted on w" + holder + (onW2.contains(partition) ? " (w2 lagged)" : ""));
            }
            // the lagging copies are copied again from the new primaries
            awaitReplicasMatchPrimaries(cluster, 2, WORKERS, CONVERGENCE);
            for (int worker = 2; worker <= WORKERS; worker++) {
                assertEquals(2L * ROWS, queryLong(cluster, worker, "SELECT count(*) FROM customers"), "rows through w" + worker);
                assertEquals(List.of(), subscriptionsFrom(cluster, worker, w1Conninfo), "subscriptions from w1 left on w" + worker);
            }

            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            setConnectionsAllowed(cluster, 1, true);
        }
    }

    private static List<String> subscriptionsFrom(TestCluster cluster, int worker, String conninfo) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection connection = cluster.connect(cluster.worker(worker));
             PreparedStatement statement = connection.prepareStatement("SELECT subname FROM pg_subscription WHERE subconninfo = ? ORDER BY 1")) {
            statement.setString(1, conninfo);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
        }
        return result;
    }

    private void killedAt(Path spec, String fault) throws IOException, InterruptedException {
        KilledApply.at(directory, spec, fault);
    }



}
