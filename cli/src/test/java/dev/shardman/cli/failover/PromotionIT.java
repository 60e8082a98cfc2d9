package dev.shardman.cli.failover;

import dev.shardman.cli.testkit.ChildCli;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.awaitReplicasMatchPrimaries;
import static dev.shardman.cli.testkit.WorkerSql.fingerprint;
import static dev.shardman.cli.testkit.WorkerSql.localPartitions;
import static dev.shardman.cli.testkit.WorkerSql.replicaTables;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promotion primitive end to end: redundancy 1 on 3 workers, 1,000 rows, then w1 becomes
 * unreachable and the spec marks it lost. Apply promotes, for each of w1's partitions, its replica
 * on w2 or w3 (the most advanced one): the replica table is converted into the attached local
 * partition with its rows (never dropped and recreated), the other survivor repoints its foreign
 * partition, and the subscriptions from w1 are cut. Apply killed in the middle of a promotion (prepared
 * but undecided; committed) resumes and converges. No row is lost, new rows of those partitions land
 * on the new primary, and nothing of w1 remains on the survivors.
 */
@LocalClusterTest(workers = 3)
class PromotionIT {
    private static final int ROWS = 1_000;
    private static final int WORKERS = 3;
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void theReplicasOfALostNodesPartitionsBecomeTheirPrimariesWithEveryRow(TestCluster cluster) throws Exception {
        Path spec = appliedWithRows(cluster);

        List<String> lostPrimaries = localPartitions(cluster, 1);
        assertFalse(lostPrimaries.isEmpty());
        Map<String, Long> rowsBefore = new TreeMap<>();
        Map<String, Integer> replicaHolder = new TreeMap<>();
        for (String partition : lostPrimaries) {
            rowsBefore.put(partition, queryLong(cluster, 1, "SELECT count(*) FROM public." + partition));
            for (int worker = 2; worker <= WORKERS; worker++) {
                if (replicaTables(cluster, worker).contains(partition)) {
                    replicaHolder.put(partition, worker);
                }
            }
        }
        assertEquals(lostPrimaries.size(), replicaHolder.size(), "every partition of w1 has a replica on w2 or w3: " + replicaHolder);

        String w1Conninfo = cluster.conninfo(cluster.worker(1));
        Path lost = directory.resolve("lost.yaml");
        Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
        setConnectionsAllowed(cluster, 1, false);
        try {
            // a crash with the first promotion prepared on the nodes but undecided, then one with the second committed
            killedAt(lost, "promote-replica:" + lostPrimaries.get(0) + "@after-node-work");
            if (lostPrimaries.size() > 1) {
                killedAt(lost, "promote-replica:" + lostPrimaries.get(1) + "@after-commit");
            }
            CliRun promoted = CliRun.of("apply", "-f", lost.toString(), "--auto-approve");
            assertEquals(0, promoted.exitCode(), promoted.out() + promoted.err());
            assertTrue(promoted.out().contains("fail over"), promoted.out());

            for (String partition : lostPrimaries) {
                int holder = replicaHolder.get(partition);
                assertTrue(localPartitions(cluster, holder).contains(partition), partition + " is not attached on w" + holder);
                assertEquals(rowsBefore.get(partition), queryLong(cluster, holder, "SELECT count(*) FROM public." + partition), partition);
                assertEquals(0L, queryLong(cluster, holder, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public." + partition
                        + "'::regclass AND tgname = 'shardman_replica_read_only'"), partition + " kept its read-only trigger");
            }
            for (int worker = 2; worker <= WORKERS; worker++) {
                assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM customers"), "rows through w" + worker);
                try (Connection connection = cluster.connect(cluster.worker(worker));
                     PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_subscription WHERE subconninfo = ?")) {
                    statement.setString(1, w1Conninfo);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        assertEquals(0L, row.getLong(1), "subscriptions from w1 left on w" + worker);
                    }
                }
            }

            execute(cluster, 2, "INSERT INTO customers (id, name) SELECT g, 'late ' || g FROM generate_series(" + (ROWS + 1) + ", " + (2 * ROWS) + ") AS g");
            assertEquals(2L * ROWS, queryLong(cluster, 3, "SELECT count(*) FROM customers"));
            for (String partition : lostPrimaries) {
                int holder = replicaHolder.get(partition);
                assertTrue(queryLong(cluster, holder, "SELECT count(*) FROM public." + partition) > rowsBefore.get(partition),
                        "no new row of " + partition + " landed on w" + holder);
            }

            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            CliRun again = CliRun.of("plan", "-f", lost.toString());
            assertTrue(again.out().contains("No changes"), again.out() + again.err());
        } finally {
            setConnectionsAllowed(cluster, 1, true);
        }
    }

    /**
     * Between the step that marks w1 lost and the promotion of its partitions, a read of their keys through a
     * survivor's parent used to find no partition and so no row, without an error (chaos seed 46000). Their foreign
     * tables now stay on w1's fenced server until the promotion repoints them: the read fails, naming the server.
     */
    @Test
    void untilItsReplicaIsPromotedALostPartitionsKeysFailInsteadOfReadingAsAbsent(TestCluster cluster) throws Exception {
        Path spec = appliedWithRows(cluster);
        String first = localPartitions(cluster, 1).get(0);
        long key = queryLong(cluster, 1, "SELECT min(id) FROM public." + first);
        String read = "SELECT count(*) FROM customers WHERE id = " + key;

        Path lost = directory.resolve("lost.yaml");
        Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
        setConnectionsAllowed(cluster, 1, false);
        try {
            Path go = directory.resolve("go");
            Path log = directory.resolve("apply.log");
            Process apply = ChildCli.start(log, Map.of("SHARDMAN_PAUSE", "promote-replica:" + first + "@before", "SHARDMAN_PAUSE_FILE", go.toString()),
                    "apply", "-f", lost.toString(), "--auto-approve");
            ChildCli.awaitFile(go.resolveSibling("go.waiting"), null, apply, log);
            for (int survivor = 2; survivor <= WORKERS; survivor++) {
                int worker = survivor;
                SQLException failed = assertThrows(SQLException.class, () -> queryLong(cluster, worker, read),
                        "w" + worker + " read the key of a partition waiting for its failover as absent");
                assertTrue(failed.getMessage().contains("shardman_node_1"), "the error names the lost node's server: " + failed.getMessage());
            }
            Files.writeString(go, "go");
            assertTrue(apply.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS), Files.readString(log));
            assertEquals(0, apply.exitValue(), Files.readString(log));
        } finally {
            setConnectionsAllowed(cluster, 1, true);
        }
        for (int survivor = 2; survivor <= WORKERS; survivor++) {
            assertEquals(1L, queryLong(cluster, survivor, read), "w" + survivor + " reads the row from the promoted replica");
            assertEquals(0L, queryLong(cluster, survivor, "SELECT count(*) FROM pg_foreign_server WHERE srvname = 'shardman_node_1'"),
                    "nothing points at w1 once its partitions failed over");
        }
    }

    /** The cluster at redundancy 1 with {@link #ROWS} rows, every replica caught up; returns the spec. */
    private Path appliedWithRows(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("r1.yaml"), WORKERS, ClusterSpecFiles.CUSTOMERS);
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS + ") AS g");
        awaitReplicasMatchPrimaries(cluster, 1, WORKERS, CONVERGENCE);
        return spec;
    }

    private void killedAt(Path spec, String fault) throws IOException, InterruptedException {
        KilledApply.at(directory, spec, fault);
    }



}
