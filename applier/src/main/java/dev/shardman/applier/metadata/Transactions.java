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
            int previousIsolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(isolation);
            connection.setReadOnly(readOnly);
            try {
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
                connection.setTransactionIsolation(previousIsolation);
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

    static <T> T inTransaction(Connection connection, Work<T> work) {
        return inTransaction(connection, Connection.TRANSACTION_READ_COMMITTED, false, work);
    }

    static ShardmanException shardlordFailure(SQLException failure) {
        return new ShardmanException(ErrorCode.NODE_FAILURE,
                "the shardlord metadata could not be read or written: " + Secrets.redact(String.valueOf(failure.getMessage())),
                "check the shardlord connection and run the command again", failure);
    }
}
