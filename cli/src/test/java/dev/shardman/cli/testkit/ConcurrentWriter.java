package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.TestCluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An application writing while the cluster changes under it: on its own thread and its own autocommit
 * connection to one worker, it alternately INSERTs a new id into {@code table(id, val, note)} through the
 * parent and UPDATEs the {@code val} of an existing id (1..{@code existingIds}, at random), paced to
 * {@code statementsPerSecond}. It logs every INSERT that committed and the last committed value of every
 * updated row. A statement that failed with a server error did not commit (autocommit); one that lost its
 * connection may or may not have: its id is kept apart as uncertain and the writer reconnects.
 */
public final class ConcurrentWriter implements AutoCloseable {
    private static final int ERROR_SAMPLES = 10;

    private final TestCluster cluster;
    private final int worker;
    private final String table;
    private final long firstNewId;
    private final long existingIds;
    private final long pauseNanos;
    private final Thread thread;
    private volatile boolean running = true;

    private final Set<Long> inserted = new HashSet<>();
    private final Map<Long, Long> lastValues = new HashMap<>();
    private final Set<Long> uncertain = new HashSet<>();
    private final List<String> errorSamples = new ArrayList<>();
    private long errors;
    private long updatesThatFoundNoRow;
    private long statements;

    private ConcurrentWriter(TestCluster cluster, int worker, String table, long firstNewId, long existingIds, int statementsPerSecond) {
        this.cluster = cluster;
        this.worker = worker;
        this.table = table;
        this.firstNewId = firstNewId;
        this.existingIds = existingIds;
        this.pauseNanos = TimeUnit.SECONDS.toNanos(1) / statementsPerSecond;
        this.thread = new Thread(this::run, "concurrent-writer-w" + worker);
        this.thread.setDaemon(true);
    }

    /** Starts writing through worker {@code worker}; new ids count up from {@code firstNewId}. */
    public static ConcurrentWriter start(TestCluster cluster, int worker, String table, long firstNewId, long existingIds, int statementsPerSecond) {
        ConcurrentWriter writer = new ConcurrentWriter(cluster, worker, table, firstNewId, existingIds, statementsPerSecond);
        writer.thread.start();
        return writer;
    }

    /** Stops after the statement in flight and returns what committed. */
    public WriterLog stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(60));
        if (thread.isAlive()) {
            throw new IllegalStateException("the writer did not stop within 60 s");
        }
        synchronized (this) {
            return new WriterLog(table, firstNewId, existingIds, inserted, lastValues, uncertain, statements, errors, updatesThatFoundNoRow, errorSamples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }

    private void run() {
        Random random = new Random(42);
        long nextId = firstNewId;
        long nextValue = 1;
        long started = System.nanoTime();
        Connection connection = null;
        try {
            while (running) {
                boolean insert = statements % 2 == 0;
                long id = insert ? nextId++ : 1 + (long) random.nextInt((int) existingIds);
                long value = nextValue++;
                try {
                    if (connection == null) {
                        connection = cluster.connect(cluster.worker(worker), "shardman-test-writer");
                    }
                    if (insert) {
                        insert(connection, id, value);
                    } else {
                        update(connection, id, value);
                    }
                } catch (SQLException failure) {
                    recordError(failure, id, insert);
                    if (isConnectionLost(failure)) {
                        connection = closeQuietly(connection);
                    }
                }
                statements++;
                long due = started + statements * pauseNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(connection);
        }
    }

    private void insert(Connection connection, long id, long value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (id, val, note) VALUES (?, ?, 'writer')")) {
            statement.setLong(1, id);
            statement.setLong(2, value);
            statement.executeUpdate();
        }
        synchronized (this) {
            inserted.add(id);
        }
    }

    private void update(Connection connection, long id, long value) throws SQLException {
        int updated;
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + table + " SET val = ? WHERE id = ?")) {
            statement.setLong(1, value);
            statement.setLong(2, id);
            updated = statement.executeUpdate();
        }
        synchronized (this) {
            if (updated == 1) {
                lastValues.put(id, value);
            } else {
                updatesThatFoundNoRow++;
            }
        }
    }

    private synchronized void recordError(SQLException failure, long id, boolean insert) {
        errors++;
        if (errorSamples.size() < ERROR_SAMPLES) {
            errorSamples.add((insert ? "INSERT " : "UPDATE ") + id + ": " + failure.getSQLState() + " " + failure.getMessage());
        }
        if (isConnectionLost(failure)) {
            uncertain.add(id);
        }
    }

    private static boolean isConnectionLost(SQLException failure) {
        return failure.getSQLState() == null || failure.getSQLState().startsWith("08") || failure.getSQLState().startsWith("57P");
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a lost connection
            }
        }
        return null;
    }
}
