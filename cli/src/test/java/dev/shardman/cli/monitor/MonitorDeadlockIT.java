package dev.shardman.cli.monitor;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Global deadlocks. Two sessions, A through w1 and B through w2, each update a row of their own node and then one of
 * the other's node through the parent: a real distributed deadlock, invisible to both nodes' detectors (statement
 * timeouts of 120 s keep a failing test from hanging). {@code monitor --once} sees the cycle, confirms it in a second
 * poll and cancels B (the youngest transaction): B's statement fails, and once B rolls back, A's goes through and
 * commits. A long cross-node wait without a cycle is left alone by two monitor runs.
 */
@LocalClusterTest(workers = 2)
class MonitorDeadlockIT {
    private static final String ACCOUNTS = """
              - name: accounts
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: balance, type: bigint, nullable: false, default: "0"}
                primary_key: [id]
                sharding_key: id
                partitions: 2
            """;

    @TempDir
    Path directory;

    @Test
    void aDistributedDeadlockIsBrokenByCancellingTheYoungestTransaction(TestCluster cluster) throws Exception {
        Path spec = applied(cluster);
        long onW1 = localKey(cluster, 1);
        long onW2 = localKey(cluster, 2);
        try (Connection a = session(cluster, 1); Connection b = session(cluster, 2)) {
            int youngest = pid(b);
            b.commit(); // reading the pid began a transaction: end it, so that B's next one starts after A's
            update(a, onW1);
            Thread.sleep(50); // B's transaction starts later: B is the youngest
            update(b, onW2);
            CompletableFuture<Void> aCrosses = CompletableFuture.runAsync(() -> updateUnchecked(a, onW2));
            CompletableFuture<Void> bCrosses = CompletableFuture.runAsync(() -> updateUnchecked(b, onW1));
            awaitRemoteLockWaits(cluster, 2);

            CliRun monitor = CliRun.of("monitor", "-f", spec.toString(), "--once", "--interval", "1s", "--json");
            assertEquals(2, monitor.exitCode(), monitor.out() + monitor.err());
            assertTrue(monitor.out().contains("\"event\":\"deadlock_suspected\""), monitor.out());
            assertTrue(monitor.out().contains("\"event\":\"deadlock_resolved\""), monitor.out());
            assertTrue(monitor.out().contains("cancelled w2:" + youngest), monitor.out());

            ExecutionException cancelled = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> bCrosses.get(60, TimeUnit.SECONDS));
            SQLException failure = assertInstanceOf(SQLException.class, cancelled.getCause(), cancelled.toString());
            assertEquals("57014", failure.getSQLState(), failure.getMessage());
            b.rollback(); // the cancelled transaction keeps its locks until it ends
            aCrosses.get(60, TimeUnit.SECONDS);
            a.commit();
        }
        assertEquals(1, WorkerSql.queryLong(cluster, 1, "SELECT balance FROM accounts WHERE id = " + onW1));
        assertEquals(1, WorkerSql.queryLong(cluster, 1, "SELECT balance FROM accounts WHERE id = " + onW2));
    }

    @Test
    void aLongCrossNodeWaitWithoutCycleIsLeftAlone(TestCluster cluster) throws Exception {
        Path spec = applied(cluster);
        long onW2 = localKey(cluster, 2);
        try (Connection holder = session(cluster, 2); Connection waiter = session(cluster, 1)) {
            update(holder, onW2);
            update(waiter, localKey(cluster, 1));
            CompletableFuture<Void> waits = CompletableFuture.runAsync(() -> updateUnchecked(waiter, onW2));
            awaitRemoteLockWaits(cluster, 1);

            for (int run = 0; run < 2; run++) {
                CliRun monitor = CliRun.of("monitor", "-f", spec.toString(), "--once", "--interval", "1s");
                assertEquals(0, monitor.exitCode(), monitor.out() + monitor.err());
                assertFalse(monitor.out().contains("deadlock"), monitor.out());
            }
            assertFalse(waits.isDone(), "the waiter still waits: nothing was cancelled");
            holder.rollback(); // a commit would fail the waiter's repeatable-read remote update (postgres_fdw's isolation)
            waits.get(60, TimeUnit.SECONDS);
            waiter.commit();
        }
        assertEquals(1, WorkerSql.queryLong(cluster, 2, "SELECT balance FROM accounts WHERE id = " + onW2));
    }

    private Path applied(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, ACCOUNTS);
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        WorkerSql.execute(cluster, 1, "INSERT INTO accounts (id) SELECT generate_series(1, 20)");
        return spec;
    }

    /** A key whose partition is local (attached, not foreign) on the worker. */
    private static long localKey(TestCluster cluster, int worker) throws SQLException {
        String partition = WorkerSql.strings(cluster, worker, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'public.accounts'::regclass AND c.relkind = 'r'").get(0);
        return WorkerSql.queryLong(cluster, worker, "SELECT min(id) FROM public." + partition);
    }

    private static Connection session(TestCluster cluster, int worker) throws SQLException {
        Connection connection = cluster.connect(cluster.worker(worker));
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = '120s'");
        }
        connection.setAutoCommit(false);
        return connection;
    }

    private static void update(Connection connection, long id) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            assertEquals(1, statement.executeUpdate("UPDATE accounts SET balance = balance + 1 WHERE id = " + id));
        }
    }

    private static void updateUnchecked(Connection connection, long id) {
        try {
            update(connection, id);
        } catch (SQLException failed) {
            throw new java.util.concurrent.CompletionException(failed);
        }
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); var row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    /** Waits until {@code count} fdw backends (over both workers) wait on a lock: the sessions are stuck as intended. */
    private static void awaitRemoteLockWaits(TestCluster cluster, int count) throws Exception {
        String waiting = "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'shardman-fdw:%' AND wait_event_type = 'Lock'";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (WorkerSql.queryLong(cluster, 1, waiting) + WorkerSql.queryLong(cluster, 2, waiting) < count) {
            if (System.nanoTime() > deadline) {
                fail("the sessions never waited on each other's nodes");
            }
            Thread.sleep(100);
        }
    }
}
