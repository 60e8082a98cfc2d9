package dev.shardman.cli.failover;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failover while a client holds a lock on an affected parent: on w2 a session (application_name
 * {@code stuck-client}) read {@code customers} in a transaction it leaves open (idle in transaction), w1 is
 * killed and marked lost. The fence of w1 must drop w2's foreign partitions pointing at w1, which the client's
 * lock blocks: apply retries for its bounded wait ({@code --lock-wait 15s}, 60 s by default), then exits 1 naming the session (pid, application_name);
 * nothing is committed. {@code apply --cancel-blockers} terminates the session and the failover completes.
 */
@LocalClusterTest(workers = 3)
class LostNodeBlockedFailoverIT {
    private static final String CLIENT = "stuck-client";

    @TempDir
    Path directory;

    @Test
    void aClientHoldingALockIsNamedThenTerminatedOnRequest(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 3, ClusterSpecFiles.CUSTOMERS);
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        WorkerSql.execute(cluster, 2, "INSERT INTO customers (id, name) SELECT g, 'before' FROM generate_series(1, 300) g");
        WorkerSql.awaitReplicasMatchPrimaries(cluster, 1, 3, Duration.ofMinutes(2));

        try (Connection client = cluster.connect(cluster.worker(2), CLIENT)) {
            client.setAutoCommit(false);
            int pid = scalarInt(client, "SELECT pg_backend_pid()");
            scalarInt(client, "SELECT count(*)::int FROM customers");
            KilledWorker.kill(cluster, 1);
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));

            long start = System.nanoTime();
            CliRun blocked = assertTimeoutPreemptively(Duration.ofMinutes(4),
                    () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve", "--lock-wait", "15s"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String output = blocked.out() + blocked.err();
            assertEquals(1, blocked.exitCode(), output);
            assertTrue(output.contains("could not take its locks on w2 in 15 s") && output.contains("--lock-wait"), output);
            assertTrue(took.compareTo(Duration.ofSeconds(15)) >= 0, "apply gave up after " + took + ", before its --lock-wait of 15 s");
            assertTrue(output.contains("pid " + pid) && output.contains("'" + CLIENT + "'"), "the error names the blocking session: " + output);
            assertTrue(output.contains("--cancel-blockers"), "the error offers --cancel-blockers: " + output);
            assertEquals(1L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid), "the client's session is left alone without --cancel-blockers");

            CliRun cancelled = assertTimeoutPreemptively(Duration.ofMinutes(4),
                    () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve", "--cancel-blockers"));
            String cancelledOutput = cancelled.out() + cancelled.err();
            assertEquals(0, cancelled.exitCode(), cancelledOutput);
            assertTrue(cancelledOutput.contains("TERMINATED on w2") && cancelledOutput.contains("pid " + pid), cancelledOutput);
            assertEquals(0L, sessionsAfterAWhile(cluster, pid), "the blocking session was terminated");

            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            assertEquals(300L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM customers"), "every row is readable through w2");
            assertEquals(300L, WorkerSql.queryLong(cluster, 3, "SELECT count(*) FROM customers"), "every row is readable through w3");
        } finally {
            KilledWorker.restart(cluster, 3);
        }
    }

    /** Sessions with {@code pid} on w2, polled until none or 30 s (a terminated backend may take a moment to leave). */
    private static long sessionsAfterAWhile(TestCluster cluster, int pid) throws Exception {
        String query = "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long count = WorkerSql.queryLong(cluster, 2, query);
        while (count > 0 && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            Thread.sleep(200);
            count = WorkerSql.queryLong(cluster, 2, query);
        }
        return count;
    }

    private static int scalarInt(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }
}
