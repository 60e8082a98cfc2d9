package dev.shardman.cli.faults;

import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.StoppedWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker SIGSTOPped while apply has its sessions open in a step (the test-only pause point
 * {@code before-node-work}, in a child JVM): with {@code settings.node_timeout: 5s} apply fails naming the
 * worker within the node timeout (plus a margin for a loaded machine), and the other workers keep no prepared
 * transaction and no lock of a shardman session; drift-check returns as quickly, non-zero, naming it. After
 * SIGCONT apply converges and drift-check is clean.
 */
@LocalClusterTest(workers = 3)
class HungNodeIT {
    /** node_timeout 5 s + its grace 5 s, and a wide margin: the machine running the tests may be loaded. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String STEP = "create-sharded-table:events";
    private static final String EVENTS = """
              - name: events
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                primary_key: [id]
                sharding_key: id
                partitions: 6
            """;

    @TempDir
    Path directory;

    @Test
    void aWorkerStoppedDuringAStepFailsApplyWithinTheNodeTimeoutLeavingNothingOnTheOthers(TestCluster cluster) throws Exception {
        String tables = ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0");
        Path spec = writeSpec(cluster, tables);
        CliRun first = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, first.exitCode(), first.out() + first.err());
        writeSpec(cluster, tables + EVENTS);

        Path release = directory.resolve("release");
        Path log = directory.resolve("apply.log");
        Process apply = pausedApply(spec, release, log);
        ChildCli.awaitFile(directory.resolve("release.waiting"), null, apply, log);
        StoppedWorker w2 = StoppedWorker.stop(cluster, 2);
        try {
            long start = System.nanoTime();
            Files.writeString(release, "go");
            awaitPreparedWhileHung(cluster, apply);
            assertTrue(apply.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS), "apply did not return within " + BOUND + " of w2's stop");
            long applySeconds = secondsSince(start);
            String output = Files.readString(log);
            assertEquals(1, apply.exitValue(), output);
            assertTrue(output.contains("failed on w2"), "the failure names w2:\n" + output);
            assertTrue(output.contains("node w2 did not answer within 10000 ms (settings.node_timeout 5000 ms"), output);
            System.out.println("apply with w2 stopped returned in " + applySeconds + " s (node_timeout 5s)");
            for (int worker : new int[] {1, 3}) {
                assertEquals(0, preparedTransactions(cluster, worker), "prepared transactions left on w" + worker);
                awaitNoShardmanLocks(cluster, worker);
            }

            start = System.nanoTime();
            CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
            long driftSeconds = secondsSince(start);
            assertTrue(driftSeconds < BOUND.toSeconds(), "drift-check took " + driftSeconds + " s");
            assertNotEquals(0, drift.exitCode(), drift.out() + drift.err());
            assertTrue(drift.out().contains("w2:"), "drift-check names w2 as unreachable:\n" + drift.out() + drift.err());
            System.out.println("drift-check with w2 stopped returned in " + driftSeconds + " s");
        } finally {
            w2.resume();
        }

        CliRun converge = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, converge.exitCode(), converge.out() + converge.err());
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        for (int worker = 1; worker <= 3; worker++) {
            assertEquals(0, preparedTransactions(cluster, worker));
        }
    }

    private Path writeSpec(TestCluster cluster, String tables) throws IOException {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 3, tables);
        String text = Files.readString(spec);
        return Files.writeString(spec, text.replaceFirst("\nnodes:\n", "\nsettings:\n  node_timeout: 5s\nnodes:\n"));
    }

    /** {@code shardman apply} in a child JVM that waits at {@code STEP@before-node-work} until {@code release} exists. */
    private static Process pausedApply(Path spec, Path release, Path log) throws IOException {
        return ChildCli.start(log, Map.of("SHARDMAN_PAUSE", STEP + "@before-node-work", "SHARDMAN_PAUSE_FILE", release.toString()),
                "apply", "-f", spec.toString(), "--auto-approve");
    }

    /** w1 and w3 prepare at once while w2 hangs: the rollback on failure is really exercised. */
    private static void awaitPreparedWhileHung(TestCluster cluster, Process apply) throws SQLException, InterruptedException {
        while (preparedTransactions(cluster, 1) == 0 || preparedTransactions(cluster, 3) == 0) {
            assertTrue(apply.isAlive(), "apply ended before w1 and w3 had prepared");
            Thread.sleep(20);
        }
    }

    private static long secondsSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toSeconds();
    }

    private static long preparedTransactions(TestCluster cluster, int worker) throws SQLException {
        return count(cluster, worker, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()");
    }

    /** (The test's own session is a shardman-test one: it is left out; so are the backends postgres_fdw opens, named shardman-fdw:<node>:<pid>.) The ended apply's sessions go away as soon as their backends read the closed socket: give them a few seconds, no more. */
    private static void awaitNoShardmanLocks(TestCluster cluster, int worker) throws SQLException, InterruptedException {
        String sql = """
                SELECT count(*) FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                WHERE a.datname = current_database() AND a.application_name LIKE 'shardman%' AND a.application_name NOT LIKE 'shardman-fdw:%' AND a.pid <> pg_catalog.pg_backend_pid()""";
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long locks = count(cluster, worker, sql);
        while (locks > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            locks = count(cluster, worker, sql);
        }
        assertEquals(0, locks, "locks of shardman sessions left on w" + worker + ": " + sessions(cluster, worker));
    }

    private static String sessions(TestCluster cluster, int worker) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT a.pid, a.application_name, a.state, a.wait_event_type, a.wait_event, a.backend_start, a.query,
                            (SELECT string_agg(l.locktype || ' ' || l.mode || ' ' || coalesce(l.relation::regclass::text, ''), ', ')
                             FROM pg_catalog.pg_locks l WHERE l.pid = a.pid)
                     FROM pg_catalog.pg_stat_activity a WHERE a.datname = current_database() AND a.application_name LIKE 'shardman%' AND a.application_name NOT LIKE 'shardman-fdw:%'
                     AND a.pid <> pg_catalog.pg_backend_pid()""")) {
            while (rows.next()) {
                for (int column = 1; column <= 8; column++) {
                    text.append(rows.getString(column)).append(column == 8 ? "\n" : " | ");
                }
            }
        }
        return text.toString();
    }

    private static long count(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
