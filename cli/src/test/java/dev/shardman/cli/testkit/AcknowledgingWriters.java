package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.TestCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One thread per worker, each inserting one row per autocommit statement; an id is acknowledged when its INSERT returned. */
public final class AcknowledgingWriters {
    private final TestCluster cluster;
    private final AtomicLong nextId = new AtomicLong();
    public final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean failedOver = new AtomicBoolean();
    public final ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
    private final ConcurrentSkipListSet<String> errorsAfterFailover = new ConcurrentSkipListSet<>();
    private final List<Thread> threads = new ArrayList<>();

    public AcknowledgingWriters(TestCluster cluster) {
        this.cluster = cluster;
    }

    public void start(int... workers) {
        for (int worker : workers) {
            Thread thread = new Thread(() -> write(worker), "writer-w" + worker);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void write(int worker) {
        Connection connection = null;
        while (running.get()) {
            long id = nextId.incrementAndGet();
            try {
                if (connection == null) {
                    connection = cluster.connect(cluster.worker(worker));
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO customers (id, name) VALUES (?, 'writer')")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                acknowledged.add(id);
            } catch (SQLException failure) {
                if (failedOver.get()) {
                    errorsAfterFailover.add("w" + worker + " id " + id + ": " + failure.getMessage());
                }
                closeQuietly(connection);
                connection = null;
                sleep(50);
            }
        }
        closeQuietly(connection);
    }

    public void awaitAcknowledged(long count) throws InterruptedException {
        failedOver.set(acknowledged.size() > 0 && count > 200);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (acknowledged.size() < count) {
            assertTrue(System.nanoTime() < deadline, "the writers acknowledged " + acknowledged.size() + " of " + count + " rows in 60 s");
            Thread.sleep(20);
        }
    }

    public List<String> errorsAfterFailover() {
        return List.copyOf(errorsAfterFailover);
    }

    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(60_000);
            assertFalse(thread.isAlive(), thread.getName() + " is still blocked in a commit");
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // a connection the server ended
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
