package dev.shardman.applier.metadata;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LocalClusterTest(workers = 0)
class ClusterLockIT {
    private static Connection connect(TestCluster cluster) {
        Connection connection = new ConnectionFactory(ConninfoSecrets.of(Map.of()), "shardman-apply", Duration.ofSeconds(10))
                .connect(ConnectionTarget.shardlord(cluster.conninfo(cluster.shardlord())));
        MetadataStore.open(connection);
        return connection;
    }

    @Test
    void secondAcquirerFailsAtOnceNamingTheHolder(TestCluster cluster) throws SQLException {
        try (Connection first = connect(cluster); Connection second = connect(cluster); Connection observer = connect(cluster)) {
            try (ClusterLock lock = ClusterLock.acquire(first, "apply", Optional.of("plan-7"))) {
                LockHolder holder = lock.holder();
                assertEquals(ProcessHandle.current().pid(), holder.processId());
                assertTrue(lock.isHeld());

                ShardmanException held = assertThrows(ShardmanException.class, () -> ClusterLock.acquire(second, "apply", Optional.empty()));
                assertEquals(ErrorCode.LOCK_HELD, held.code());
                String expected = "the cluster lock is held by apply of " + holder.user() + "@" + holder.host() + " pid " + holder.processId() + " since ";
                assertTrue(held.summary().startsWith(expected), held.summary());
                assertTrue(held.detail().contains("the lock is released when its session ends"), held.detail());

                assertEquals(Optional.of(holder), ClusterLock.currentHolder(observer));
                assertEquals(Optional.of("plan-7"), ClusterLock.currentHolder(observer).orElseThrow().planId());
            }
            assertEquals(Optional.empty(), ClusterLock.currentHolder(observer));
            assertEquals(0, count(observer, "SELECT count(*) FROM shardman.lock_holder"), "release clears the row");
            ClusterLock again = ClusterLock.acquire(second, "recover", Optional.empty());
            assertEquals("recover", ClusterLock.currentHolder(observer).orElseThrow().command());
            again.close();
        }
    }

    @Test
    void aClosedSessionFreesTheLockAndTheNextAcquirerOverwritesTheStaleRow(TestCluster cluster) throws Exception {
        try (Connection observer = connect(cluster)) {
            Connection first = connect(cluster);
            LockHolder crashed = ClusterLock.acquire(first, "apply", Optional.of("plan-1")).holder();
            first.close();   // no release: as if the process died

            try (Connection second = connect(cluster)) {
                ClusterLock lock = acquireWithin(second, Duration.ofSeconds(10));
                assertNotEquals(crashed.backendPid(), lock.holder().backendPid());
                assertEquals(Optional.of(lock.holder()), ClusterLock.currentHolder(observer));
                assertEquals(1, count(observer, "SELECT count(*) FROM shardman.lock_holder"));
                lock.release();
                assertFalse(lock.isHeld());
                lock.release();
            }
        }
    }

    @Test
    void aStaleRowWithoutALockIsNotAHolder(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster); Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    INSERT INTO shardman.lock_holder (user_name, host_name, process_id, backend_pid, command, started_at)
                    VALUES ('ghost', 'gone', 1, 1, 'apply', now())""");
            assertEquals(Optional.empty(), ClusterLock.currentHolder(connection));
            try (ClusterLock lock = ClusterLock.acquire(connection, "apply", Optional.empty())) {
                assertEquals(Optional.of(lock.holder()), ClusterLock.currentHolder(connection));
            }
        }
    }

    @Test
    void theLockSessionOutlivesIdleTimeoutsAndKeepsTcpAlive(TestCluster cluster) throws Exception {
        try (Connection session = connect(cluster); Statement statement = session.createStatement()) {
            statement.execute("SET idle_session_timeout = '1s'");
            statement.execute("SET idle_in_transaction_session_timeout = '1s'");
            try (ClusterLock lock = ClusterLock.acquire(session, "apply", Optional.empty())) {
                Thread.sleep(3_000);
                assertTrue(lock.isHeld(), "an idle lock session is not ended by the server");
                assertEquals("10", setting(statement, "tcp_keepalives_idle"));
                assertEquals("5", setting(statement, "tcp_keepalives_interval"));
                assertEquals("3", setting(statement, "tcp_keepalives_count"));
            }
        }
    }

    @Test
    void aHolderThatLostItsLockWritesNothingAndIsToldWhoHoldsItNow(TestCluster cluster) throws Exception {
        try (Connection observer = connect(cluster); Connection metadata = connect(cluster)) {
            Connection first = connect(cluster);
            ClusterLock lost = ClusterLock.acquire(first, "apply", Optional.of("plan-1"));
            MetadataStore store = MetadataStore.open(metadata).fencedBy(lost, () -> connect(cluster));
            store.requireLock();
            store.journal().startStep("plan-1", "before", "written while the lock is held");
            terminate(observer, lost.holder().backendPid());

            ShardmanException stopped = assertThrows(ShardmanException.class, () -> store.journal().startStep("plan-1", "after", "not written"));
            assertEquals(ErrorCode.NODE_FAILURE, stopped.code(), "exit 1, not 3: this run's own lock was lost");
            assertTrue(stopped.summary().contains("the cluster lock of this apply was lost"), stopped.summary());
            try (Connection second = connect(cluster); ClusterLock taken = ClusterLock.acquire(second, "recover", Optional.empty())) {
                assertTrue(taken.epoch() > lost.epoch(), "each acquirer takes a new epoch");
                ShardmanException overtaken = assertThrows(ShardmanException.class, store::requireLock);
                assertTrue(overtaken.summary().contains("it is held by recover of"), overtaken.summary());
                MetadataStore.open(metadata).fencedBy(taken, () -> connect(cluster)).requireLock();
            }
            assertEquals(1, count(observer, "SELECT count(*) FROM shardman.journal"), "only the step started before the loss");
            first.close();
        }
    }

    @Test
    void aNewHolderWaitsUntilAnInFlightFencedCommitEnds(TestCluster cluster) throws Exception {
        try (Connection observer = connect(cluster); Connection committing = connect(cluster); Connection second = connect(cluster)) {
            Connection first = connect(cluster);
            ClusterLock old = ClusterLock.acquire(first, "apply", Optional.empty());
            committing.setAutoCommit(false);
            old.verify(committing);   // the check of a commit in flight: passed, its transaction still open
            terminate(observer, old.holder().backendPid());
            int secondPid = pid(second);
            CompletableFuture<ClusterLock> taking = CompletableFuture.supplyAsync(() -> ClusterLock.acquire(second, "apply", Optional.empty()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count(observer, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = " + secondPid) == 0) {
                assertFalse(taking.isDone(), "the new holder must wait for the commit in flight: " + taking);
                assertTrue(System.nanoTime() < deadline, "the new holder waits on the holder row");
                Thread.sleep(50);
            }
            committing.commit();
            try (ClusterLock taken = taking.get(60, TimeUnit.SECONDS)) {
                assertTrue(taken.epoch() > old.epoch());
            }
            first.close();
        }
    }

    private static void terminate(Connection observer, int backendPid) throws SQLException {
        try (Statement statement = observer.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(" + backendPid + ", 60000)");
        }
    }

    private static int pid(Connection connection) throws SQLException {
        return (int) count(connection, "SELECT pg_backend_pid()");
    }

    private static String setting(Statement statement, String name) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            row.next();
            return row.getString(1);
        }
    }

    /** The server frees a closed session's advisory locks when its backend exits, a moment after the socket closes. */
    private static ClusterLock acquireWithin(Connection session, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return ClusterLock.acquire(session, "apply", Optional.of("plan-2"));
            } catch (ShardmanException held) {
                if (held.code() != ErrorCode.LOCK_HELD || System.nanoTime() > deadline) {
                    throw held;
                }
                Thread.sleep(50);
            }
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
