package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one shardlord transaction and turns SQL failures into ShardmanExceptions. */
final class Transactions {
    private Transactions() {
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** {@code work} in one transaction at {@code isolation}; commits on success, rolls back on any failure. */
    static <T> T inTransaction(Connection connection, int isolation, boolean readOnly, Work<T> work) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            int previousIsolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(isolation);
            connection.setReadOnly(readOnly);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            } finally {
                connection.setReadOnly(false);
                connection.setTransactionIsolation(previousIsolation);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException failure) {
            throw shardlordFailure(failure);
        }
    }

    static <T> T inTransaction(Connection connection, Work<T> work) {
        return inTransaction(connection, Connection.TRANSACTION_READ_COMMITTED, false, work);
    }

    static ShardmanException shardlordFailure(SQLException failure) {
        return new ShardmanException(ErrorCode.NODE_FAILURE,
                "the shardlord metadata could not be read or written: " + Secrets.redact(String.valueOf(failure.getMessage())),
                "check the shardlord connection and run the command again", failure);
    }
}
