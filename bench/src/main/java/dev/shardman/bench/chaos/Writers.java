package dev.shardman.bench.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One writer thread per node, each inserting one row per autocommit INSERT through that node's parent table (every
 * fourth id through the shared table's view instead: {@link #tableOf}), ids unique across all of them; between its
 * inserts it updates and reads its own rows of the sharded table ({@link RowEdits}). An id is
 * <b>acknowledged</b> when its INSERT returned OK: it must then survive exactly once. An INSERT that failed
 * (connection lost, timed out) may or may not have committed: its id is <b>uncertain</b>, allowed to be present once
 * or absent, never twice. Every session has a connect and a socket timeout, so that a paused node
 * (or a commit waiting for a dead synchronous standby) makes its writer fail and reconnect rather than hang the round.
 */
final class Writers {
    private static final String INSERT = "INSERT INTO %s (id, writer) VALUES (?, ?)";
    private static final long SHARED_EVERY = 4;
    private static final long PACE_MS = 10;
    private static final long RECONNECT_PAUSE_MS = 300;
    private static final long JOIN_MS = 40_000;

    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
    private final Set<Long> uncertain = new ConcurrentSkipListSet<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final RowEdits edits = new RowEdits();

    /** Starts a writer through each node ({@code name -> port}). */
    void start(Map<String, Integer> ports) {
        ports.forEach((node, port) -> {
            Thread thread = new Thread(() -> write(node, port), "chaos-writer-" + node);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        });
    }

    /** Stops the writers, waiting for each (bounded: a stuck INSERT ends at the socket timeout). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(JOIN_MS);
        }
    }

    long acknowledgedCount() {
        return acknowledged.size();
    }

    Set<Long> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    Set<Long> uncertain() {
        return Set.copyOf(uncertain);
    }

    RowEdits edits() {
        return edits;
    }

    Map<String, String> lastErrors() {
        return Map.copyOf(lastErrors);
    }

    private void write(String node, int port) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&ApplicationName=chaos-writer&connectTimeout=5"
                + "&socketTimeout=20&loginTimeout=5&tcpKeepAlive=true";
        Connection connection = null;
        List<Long> mine = new ArrayList<>();
        Random random = new Random(port);
        long turn = 0;
        while (running.get()) {
            // two turns in four insert, one updates and one reads one of this writer's own acknowledged rows
            Operation operation = mine.isEmpty() || turn % 4 < 2 ? Operation.INSERT : turn % 4 == 2 ? Operation.UPDATE : Operation.READ;
            long id = operation == Operation.INSERT ? nextId.getAndIncrement() : mine.get(random.nextInt(mine.size()));
            turn++;
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(url);
                }
                if (run(connection, operation, id, node)) {
                    if (operation == Operation.INSERT) {
                        acknowledged.add(id);
                        if (tableOf(id).equals(ChaosSpec.TABLE)) {
                            mine.add(id);
                        }
                    } else if (operation == Operation.UPDATE) {
                        edits.updated(id);
                    }
                } else {
                    edits.missed(id, operation.name().toLowerCase(Locale.ROOT), node);
                }
                Thread.sleep(PACE_MS);
            } catch (SQLException e) {
                if (operation == Operation.INSERT) {
                    uncertain.add(id);
                } else if (operation == Operation.UPDATE) {
                    edits.maybeUpdated(id);
                }
                lastErrors.put(node, e.getMessage());
                connection = closeQuietly(connection);
                pause(RECONNECT_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(connection);
    }

    private enum Operation { INSERT, UPDATE, READ }

    /** One autocommit statement; false when an UPDATE or a read did not find the row. */
    private static boolean run(Connection connection, Operation operation, long id, String node) throws SQLException {
        String sql = switch (operation) {
            case INSERT -> INSERT.formatted(tableOf(id));
            case UPDATE -> RowEdits.UPDATE;
            case READ -> RowEdits.READ;
        };
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            if (operation == Operation.INSERT) {
                statement.setString(2, node);
            }
            if (operation == Operation.READ) {
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() && row.getLong(1) == 1;
                }
            }
            return statement.executeUpdate() == 1;
        }
    }

    /** Every {@link #SHARED_EVERY}-th id goes to the shared table (through the node's view, to its master), the others to the sharded one. */
    static String tableOf(long id) {
        return id % SHARED_EVERY == 0 ? ChaosSpec.SHARED : ChaosSpec.TABLE;
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone already
            }
        }
        return null;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
