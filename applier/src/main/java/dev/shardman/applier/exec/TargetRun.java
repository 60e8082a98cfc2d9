package dev.shardman.applier.exec;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.metadata.Secrets;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.model.ShardmanException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Exec on one target, in one session of its own (used by one thread at a time): in a REPEATABLE READ transaction, read
 * shardman's catalog rows, run the statement, refuse it if it touched shardman's objects ({@link ManagedObjectsGuard}),
 * then COMMIT, or PREPARE TRANSACTION under {@code gid} and keep the session for the decision.
 */
final class TargetRun implements AutoCloseable {
    private static final int LISTED_OBJECTS = 5;

    private final ExecTarget target;
    private Connection session;

    TargetRun(ExecTarget target) {
        this.target = requireNonNull(target, "target is null");
    }

    ExecTarget target() {
        return target;
    }

    /**
     * Runs {@code statement}; with {@code gid} the transaction is left prepared (outcome OK = prepared), else committed.
     * A write to a managed table is refused before it runs, anything else touching shardman's objects after it ran.
     */
    TargetOutcome run(ConnectionFactory factory, ExecStatement statement, ManagedObjectsGuard guard, Optional<String> gid) {
        try {
            session = factory.connect(target.connection());
        } catch (ShardmanException unreachable) {
            return TargetOutcome.failed(target.name(), ExecOutcome.UNREACHABLE, unreachable.summary());
        }
        try {
            session.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            session.setAutoCommit(false);
            List<String> writes = guard.managedWriteTargets(session, statement.sql());
            if (!writes.isEmpty()) {
                session.rollback();
                return TargetOutcome.failed(target.name(), ExecOutcome.REFUSED, refusal(writes));
            }
            Set<String> before = guard.catalogRows(session);
            TargetOutcome outcome;
            try (Statement user = session.createStatement()) {
                outcome = ExecResultRows.run(target.name(), user, statement.sql());
            }
            List<String> touched = guard.touched(session, before);
            if (!touched.isEmpty()) {
                session.rollback();
                return TargetOutcome.failed(target.name(), ExecOutcome.REFUSED, refusal(touched));
            }
            finish(gid);
            return outcome;
        } catch (SQLException | RuntimeException failure) {
            rollBackQuietly();
            String reason = failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage());
            return TargetOutcome.failed(target.name(), ExecOutcome.FAILED, Secrets.redact(reason));
        }
    }

    /** COMMIT PREPARED (after the decision is recorded); the message of a failure, empty when it committed. */
    String commitPrepared(String gid) {
        try {
            NodeReconciler.create(PasswordSource.none()).commitPrepared(session, gid);
            return "";
        } catch (SQLException | RuntimeException failure) {
            return Secrets.redact(String.valueOf(failure.getMessage()));
        }
    }

    /** ROLLBACK PREPARED; the message of a failure (recover rolls it back: no decision is recorded), empty when done. */
    String rollBackPrepared(String gid) {
        try {
            NodeReconciler.create(PasswordSource.none()).rollbackPrepared(session, gid);
            return "";
        } catch (SQLException | RuntimeException failure) {
            return Secrets.redact(String.valueOf(failure.getMessage()));
        }
    }

    private void finish(Optional<String> gid) throws SQLException {
        if (gid.isEmpty()) {
            session.commit();
            return;
        }
        try (Statement prepare = session.createStatement()) {
            prepare.execute("PREPARE TRANSACTION " + SqlNames.literal(gid.get()));
        }
        session.setAutoCommit(true);
    }

    private static String refusal(List<String> touched) {
        String listed = String.join("; ", touched.subList(0, Math.min(LISTED_OBJECTS, touched.size())));
        String more = touched.size() > LISTED_OBJECTS ? "; and " + (touched.size() - LISTED_OBJECTS) + " more" : "";
        return "the statement touches shardman's own objects (" + listed + more + "); rolled back (shardman's objects change through the spec and apply)";
    }

    private void rollBackQuietly() {
        try {
            if (session != null && !session.isClosed() && !session.getAutoCommit()) {
                session.rollback();
            }
        } catch (SQLException ignored) {
            // the session is closed next; the server rolls back an open transaction when it ends
        }
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // the server ends the session (and rolls back anything open) when the socket closes
            }
        }
    }
}
