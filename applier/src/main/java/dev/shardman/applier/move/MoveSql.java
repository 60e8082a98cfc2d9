package dev.shardman.applier.move;

import dev.shardman.applier.objects.ChangeAction;
import dev.shardman.applier.objects.ChangeSql;
import dev.shardman.applier.objects.NodeObject;
import dev.shardman.applier.objects.ObjectChange;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.SqlStatement;
import dev.shardman.applier.objects.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Small SQL helpers of the move phases (identifiers and literals are quoted by {@link SqlNames}): statements run alone in
 * autocommit (replication DDL refuses transaction blocks), one-value queries with bind parameters. Errors never quote
 * a statement (a CREATE SUBSCRIPTION carries a conninfo).
 */
final class MoveSql {
    /** SQLSTATEs after which a transaction that waits on locks is simply tried again: lock_timeout, deadlock. */
    static final List<String> RETRYABLE = List.of("55P03", "40P01");

    private MoveSql() {
    }


    /** Runs {@code sql} on a connection in a transaction (or autocommit), without changing its mode. */
    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static long queryLong(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepared(connection, sql, parameters); ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    static Optional<String> queryText(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepared(connection, sql, parameters); ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
        }
    }

    static boolean queryBoolean(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepared(connection, sql, parameters); ResultSet row = statement.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static PreparedStatement prepared(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int index = 0; index < parameters.length; index++) {
            statement.setObject(index + 1, parameters[index]);
        }
        return statement;
    }

    /** Whether relation {@code schema.name} exists ({@code to_regclass} of the quoted name). */
    static boolean exists(Connection connection, TableName table) throws SQLException {
        return queryBoolean(connection, "SELECT to_regclass(?) IS NOT NULL", SqlNames.qualified(table));
    }

    /** The CREATE statements of {@code objects} as the reconciler would write them (ChangeSql: templates, quoting). */
    static List<SqlStatement> creates(ChangeSql changeSql, List<NodeObject> objects) {
        return objects.stream().flatMap(object -> changeSql.statements(new ObjectChange(ChangeAction.CREATE, object.key(), Optional.of(object),
                Optional.empty(), object.describe() + " is created by a move", false)).stream()).toList();
    }

    /** A lock timeout or deadlock, also when a reconciler wrapped the server's error (it keeps the SQLSTATE). */
    static boolean retryable(SQLException failure) {
        return RETRYABLE.contains(failure.getSQLState()) || failure.getCause() instanceof SQLException cause && RETRYABLE.contains(cause.getSQLState());
    }

    /** One try of work that waits on locks. */
    interface Attempt<T> {
        T run() throws SQLException;
    }

    /** {@code attempt}, tried again after a lock timeout or deadlock (rolled back by then), at most {@code attempts} times in all. */
    static <T> T retrying(int attempts, Attempt<T> attempt) throws SQLException {
        for (int number = 1; ; number++) {
            try {
                return attempt.run();
            } catch (SQLException failure) {
                if (!retryable(failure) || number == attempts) {
                    throw failure;
                }
                sleep(200L * number);
            }
        }
    }

    /** {@code statements} in one transaction on {@code connection}: committed, or rolled back on any failure; its mode is restored. */
    static void inTransaction(Connection connection, List<String> statements) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            for (String statement : statements) {
                execute(connection, statement);
            }
            connection.commit();
            committed = true;
        } finally {
            if (!committed) {
                connection.rollback();
            }
            connection.setAutoCommit(autoCommit);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a move waited", interrupted);
        }
    }
}
