package dev.shardman.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data-plane benchmark's clients: {@link #tps} runs one prepared statement in autocommit from several
 * connections for a fixed time and counts the statements done; {@link #medianMillis} runs one query over and
 * over from one connection and gives its median time. Every connection first runs the statement a few times
 * (warm-up: connection caches, postgres_fdw's remote connections, prepared plans) outside the measurement.
 */
final class ClientLoad {
    private static final int WARM_UP = 20;

    /** What a client binds before each execution: a random existing key, or the next new one. */
    interface Keys {
        long next();

        static Keys randomUpTo(long rows) {
            return () -> ThreadLocalRandom.current().nextLong(1, rows + 1);
        }

        static Keys randomOf(List<Long> keys) {
            return () -> keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
        }

        static Keys fresh(long first) {
            AtomicLong next = new AtomicLong(first);
            return next::getAndIncrement;
        }
    }

    private ClientLoad() {
    }

    /**
     * Statements per second over {@code clients} connections to {@code url} each running {@code sql} with one
     * bigint parameter from {@code keys}, after {@code setup} (session settings, may be empty), for {@code duration}.
     */
    static double tps(String url, List<String> setup, String sql, Keys keys, int clients, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Connection> connections = new ArrayList<>();
            List<Future<Long>> counts = new ArrayList<>();
            try {
                for (int client = 0; client < clients; client++) {
                    connections.add(open(url, setup));
                }
                for (Connection connection : connections) {
                    execute(connection, sql, keys, WARM_UP, Long.MAX_VALUE);
                }
                long started = System.nanoTime();
                long deadline = started + duration.toNanos();
                for (Connection connection : connections) {
                    counts.add(pool.submit(() -> execute(connection, sql, keys, Long.MAX_VALUE, deadline)));
                }
                long done = 0;
                for (Future<Long> count : counts) {
                    done += count.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
                }
                return done / ((System.nanoTime() - started) / 1e9);
            } finally {
                for (Connection connection : connections) {
                    connection.close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The median time in milliseconds of {@code sql} (no parameter) run again and again on one connection for {@code duration}, at least 3 times. */
    static double medianMillis(String url, List<String> setup, String sql, Duration duration) throws SQLException {
        try (Connection connection = open(url, setup); Statement statement = connection.createStatement()) {
            for (int warmUp = 0; warmUp < 2; warmUp++) {
                drain(statement, sql);
            }
            List<Long> samples = new ArrayList<>();
            long deadline = System.nanoTime() + duration.toNanos();
            while (samples.size() < 3 || System.nanoTime() < deadline) {
                long started = System.nanoTime();
                drain(statement, sql);
                samples.add(System.nanoTime() - started);
            }
            Collections.sort(samples);
            return samples.get(samples.size() / 2) / 1e6;
        }
    }

    private static Connection open(String url, List<String> setup) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement statement = connection.createStatement()) {
            for (String sql : setup) {
                statement.execute(sql);
            }
        }
        return connection;
    }

    /** Runs {@code sql} up to {@code times} times or until {@code deadline} (nanoTime); returns how many ran. */
    private static long execute(Connection connection, String sql, Keys keys, long times, long deadline) throws SQLException {
        long done = 0;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            while (done < times && System.nanoTime() < deadline) {
                statement.setLong(1, keys.next());
                if (statement.execute()) {
                    try (ResultSet rows = statement.getResultSet()) {
                        while (rows.next()) {
                            rows.getObject(1);
                        }
                    }
                }
                done++;
            }
        }
        return done;
    }

    private static void drain(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                rows.getObject(1);
            }
        }
    }
}
