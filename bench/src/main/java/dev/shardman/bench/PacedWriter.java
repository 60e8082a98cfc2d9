package dev.shardman.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that inserts one row every {@code interval} on its own thread, each in its own autocommit
 * transaction, and records what a user would feel: the time between consecutive successful writes (the
 * longest one, and when it ended) and every error. When a write fails the connection is dropped and
 * opened again (that time counts in the gap). A write that takes longer than the interval is followed
 * at once by the next; missed ticks are not made up in a burst.
 */
final class PacedWriter implements AutoCloseable {
    /** Gaps at least this long are kept one by one (with when they ended), so they can be matched to what the move was doing. */
    static final long NOTABLE_GAP_NANOS = 20_000_000;
    private static final int MAX_NOTABLE_GAPS = 10_000;

    /**
     * A gap between two successful writes: its length, when it ended ({@link System#nanoTime()}) and how long the write
     * that ended it took from its start (a slow statement, as opposed to a client that started late or retried).
     */
    record Gap(long nanos, long endedAt, long lastWriteNanos) {
        long startedAt() {
            return endedAt - nanos;
        }
    }

    /**
     * What the writer saw; gaps are between completions of successful writes, the first one from {@code start};
     * {@code starts} and {@code ends}: when each successful write was sent and when it returned ({@link System#nanoTime()}).
     */
    record Result(long writes, long errors, List<String> firstErrors, Gap longest, List<Gap> notableGaps, long[] starts, long[] ends) {
        Result {
            firstErrors = List.copyOf(firstErrors);
            notableGaps = List.copyOf(notableGaps);
        }
    }

    private final String url;
    private final String insertSql;
    private final long[] ids;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean stopping;
    private long writes;
    private long errors;
    private final List<String> firstErrors = new ArrayList<>();
    private Gap longest = new Gap(0, 0, 0);
    private final List<Gap> notableGaps = new ArrayList<>();
    private final long[] starts;
    private final long[] ends;

    /** {@code insertSql} takes one parameter, the id; {@code ids} are used in order, one per write. */
    PacedWriter(String url, String insertSql, long[] ids, Duration interval) {
        this.url = url;
        this.insertSql = insertSql;
        this.ids = ids.clone();
        this.starts = new long[ids.length];
        this.ends = new long[ids.length];
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, "paced-writer");
    }

    void start() {
        thread.start();
    }

    /** Stops after the write in flight and returns what was recorded. */
    Result stop() throws InterruptedException {
        stopping = true;
        thread.join();
        return new Result(writes, errors, firstErrors, longest, notableGaps, Arrays.copyOf(starts, (int) writes),
                Arrays.copyOf(ends, (int) writes));
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }

    private void run() {
        Connection connection = null;
        PreparedStatement insert = null;
        long lastSuccess = System.nanoTime();
        long nextTick = lastSuccess;
        while (!stopping && writes < ids.length) {
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(url);
                    insert = connection.prepareStatement(insertSql);
                }
                insert.setLong(1, ids[(int) writes]);
                long writeStarted = System.nanoTime();
                insert.executeUpdate();
                long now = System.nanoTime();
                starts[(int) writes] = writeStarted;
                ends[(int) writes] = now;
                writes++;
                Gap gap = new Gap(now - lastSuccess, now, now - writeStarted);
                if (gap.nanos() > longest.nanos()) {
                    longest = gap;
                }
                if (gap.nanos() >= NOTABLE_GAP_NANOS && notableGaps.size() < MAX_NOTABLE_GAPS) {
                    notableGaps.add(gap);
                }
                lastSuccess = now;
            } catch (SQLException e) {
                errors++;
                if (firstErrors.size() < 5) {
                    firstErrors.add(e.getSQLState() + " " + e.getMessage());
                }
                closeQuietly(connection);
                connection = null;
            }
            nextTick = Math.max(nextTick + intervalNanos, System.nanoTime());
            LockSupport.parkNanos(nextTick - System.nanoTime());
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Already broken: nothing to release.
        }
    }
}
