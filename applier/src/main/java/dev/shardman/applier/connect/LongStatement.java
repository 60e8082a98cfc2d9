package dev.shardman.applier.connect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Runs one statement that may legitimately take longer than the node timeout (a row count and checksum
 * of a big partition: minutes for tens of GiB) under its own bound, {@link #BOUND}: the session's
 * {@code statement_timeout} and the client's socket timeout are raised for the call and put back after it.
 * Everything else keeps the node timeout, so a hung node is still named within it between such statements.
 */
public final class LongStatement {
    /** The bound of one long statement (documented in docs/spec.md, Timeouts). */
    public static final Duration BOUND = Duration.ofHours(1);

    private static final String SHOW = "SELECT pg_catalog.current_setting('statement_timeout')";
    private static final String SET = "SELECT pg_catalog.set_config('statement_timeout', ?, false)";

    /** The work of the long statement on the connection it was given. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private LongStatement() {
    }

    public static <T> T run(Connection connection, Work<T> work) throws SQLException {
        int networkTimeout = connection.getNetworkTimeout();
        String statementTimeout = setting(connection, SHOW, null);
        setting(connection, SET, BOUND.toMillis() + "ms");
        connection.setNetworkTimeout(Runnable::run, SessionTimeouts.milliseconds(new SessionTimeouts(BOUND, BOUND).socketRead()));
        boolean done = false;
        try {
            T result = work.run();
            done = true;
            return result;
        } finally {
            restore(connection, networkTimeout, statementTimeout, done);
        }
    }

    private static void restore(Connection connection, int networkTimeout, String statementTimeout, boolean done) throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        connection.setNetworkTimeout(Runnable::run, networkTimeout);
        if (done) {
            setting(connection, SET, statementTimeout);
        } else if (connection.getAutoCommit()) {
            try {
                setting(connection, SET, statementTimeout);
            } catch (SQLException ignored) {
                // the statement's own failure is what the caller must see; a broken session is closed anyway
            }
        }
        // In a failed transaction the rollback puts the setting back by itself.
    }

    private static String setting(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (value != null) {
                statement.setString(1, value);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}
