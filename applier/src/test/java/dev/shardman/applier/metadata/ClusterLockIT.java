package dev.shardman.applier.metadata;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LocalClusterTest(workers = 0)
class ClusterLockIT {
    private static Connection connect(TestCluster cluster) {
        Connection connection = new ConnectionFactory(Map.of(), "shardman-apply", Duration.ofSeconds(10))
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
