package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs work in one shardlord transaction and turns SQL failures into ShardmanExceptions. */
final class Transactions {
    private Transactions() {
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Checked first inside every metadata write transaction: the cluster lock is still ours ({@link ClusterLock#verify}). */
    interface Fence {
        /** No check: a store used outside the cluster lock (tests, initialisation before the lock exists). */
        Fence NONE = connection -> {
        };

        void check(Connection connection) throws SQLException;
    }

    /** {@code work} in one read-committed transaction that first passes {@code fence}: nothing is written by a holder that lost the lock. */
    static <T> T writing(Connection connection, Fence fence, Work<T> work) {
        return inTransaction(connection, inside -> {
            fence.check(inside);
            return work.run(inside);
        });
    }

    /**
     * {@code work} in one transaction at {@code isolation}; commits on success, rolls back on any failure. A failed
     * COMMIT (or a connection lost around it) is a {@link CommitNotAcknowledged}: the transaction may have committed.
     */
    static <T> T inTransaction(Connection connection, int isolation, boolean readOnly, Work<T> work) {
        boolean committing = false;
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            connection.setReadOnly(readOnly);
            try {
                // the level for this transaction only, sent with its BEGIN: pgjdbc's setTransactionIsolation costs a SHOW and two SETs
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET TRANSACTION ISOLATION LEVEL " + level(isolation));
                }
                T result = work.run(connection);
                committing = true;
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException failure) {
                if (!committing) {
                    connection.rollback();
                }
                throw failure;
            } finally {
                connection.setReadOnly(false);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException failure) {
            if (committing) {
                throw new CommitNotAcknowledged("the shardlord did not acknowledge a metadata commit: "
                        + Secrets.redact(String.valueOf(failure.getMessage())), failure);
            }
            throw shardlordFailure(failure);
        }
    }

    private static String level(int isolation) {
        return switch (isolation) {
            case Connection.TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
            case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> throw new IllegalArgumentException("isolation level " + isolation + " is not one shardman uses");
        };
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
