package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * The apply lock: a session advisory lock in the shardlord database, held by a dedicated session for the whole apply
 * (or recover), plus the {@code shardman.lock_holder} row naming the holder with its fencing epoch. The advisory lock
 * excludes; the epoch is what every metadata write checks ({@link #verify}, via {@link MetadataStore#fencedBy}), so a
 * holder that lost its session commits nothing more. Use the session for nothing else: closing it releases the lock
 * ({@link #DEAD_HOLDER_BOUND}; docs/internals/metadata-and-lock.md, "Cluster lock").
 */
public final class ClusterLock implements AutoCloseable {
    /** The advisory lock key, "shardman" in ASCII; one per shardlord database. */
    static final long LOCK_KEY = 0x73686172646D616EL;

    /** How long a holder whose host vanished keeps the lock at most: keepalive idle + count x interval (TCP sessions). */
    static final Duration DEAD_HOLDER_BOUND = Duration.ofSeconds(10 + 3 * 5);

    private static final List<String> SESSION_SETTINGS = List.of("SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5",
            "SET tcp_keepalives_count = 3", "SET idle_session_timeout = 0", "SET idle_in_transaction_session_timeout = 0",
            "SET lock_timeout = '60s'");
    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(" + LOCK_KEY + "), pg_backend_pid()";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(" + LOCK_KEY + ")";
    private static final String HOLDER_PID = """
            SELECT pid FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid = ?::bigint::oid AND objid = ?::bigint::oid""";
    private static final String WRITE_HOLDER = """
            INSERT INTO shardman.lock_holder (singleton, user_name, host_name, process_id, backend_pid, command, plan_id, started_at)
            VALUES (true, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET user_name = excluded.user_name, host_name = excluded.host_name,
                process_id = excluded.process_id, backend_pid = excluded.backend_pid, command = excluded.command,
                plan_id = excluded.plan_id, started_at = excluded.started_at, epoch = nextval('shardman.lock_epoch')
            RETURNING epoch""";
    /* FOR SHARE: a new acquirer's epoch update waits until this write transaction ends, so no check-to-commit window. */
    private static final String VERIFY = """
            SELECT h.epoch, h.backend_pid, EXISTS (
                SELECT 1 FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.pid = h.backend_pid
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid)
            FROM shardman.lock_holder h FOR SHARE OF h""";
    private static final String READ_HOLDER = """
            SELECT user_name, host_name, process_id, backend_pid, command, plan_id, started_at FROM shardman.lock_holder""";
    private static final String CLEAR_HOLDER = "DELETE FROM shardman.lock_holder WHERE backend_pid = pg_backend_pid()";

    private final Connection session;
    private final LockHolder holder;
    private final long epoch;
    private boolean released;

    private ClusterLock(Connection session, LockHolder holder, long epoch) {
        this.session = session;
        this.holder = holder;
        this.epoch = epoch;
    }

    /**
     * Takes the lock on {@code session} (a dedicated shardlord connection in autocommit mode, its
     * metadata schema migrated by {@link MetadataStore#open}) for {@code command} (e.g. "apply").
     *
     * @throws ShardmanException LOCK_HELD at once, naming the holder, when another session holds it
     */
    public static ClusterLock acquire(Connection session, String command, Optional<String> planId) {
        requireNonNull(session, "session is null");
        requireNonNull(command, "command is null");
        requireNonNull(planId, "planId is null");
        try {
            int backendPid;
            try (Statement statement = session.createStatement()) {
                for (String setting : SESSION_SETTINGS) {
                    statement.execute(setting);
                }
            }
            try (Statement statement = session.createStatement(); ResultSet rows = statement.executeQuery(TRY_LOCK)) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    throw held(session);
                }
                backendPid = rows.getInt(2);
            }
            LockHolder holder = LockHolder.thisProcess(command, planId, backendPid);
            return new ClusterLock(session, holder, writeHolder(session, holder));
        } catch (SQLException failure) {
            throw Transactions.shardlordFailure(failure);
        }
    }

    /** The recorded holder while the advisory lock is actually held; empty when the lock is free (a stale row is ignored). */
    public static Optional<LockHolder> currentHolder(Connection connection) {
        try {
            OptionalInt lockPid = lockHolderPid(connection);
            if (lockPid.isEmpty()) {
                return Optional.empty();
            }
            return readHolder(connection).filter(holder -> holder.backendPid() == lockPid.getAsInt());
        } catch (SQLException failure) {
            throw Transactions.shardlordFailure(failure);
        }
    }

    public LockHolder holder() {
        return holder;
    }

    /** This holder's fencing token: the epoch it took in {@code shardman.lock_holder}. */
    long epoch() {
        return epoch;
    }

    /**
     * Inside a write transaction on {@code connection}, before the write: the lock is still this holder's (its
     * epoch is the recorded one and the recorded session holds the advisory lock); the row stays share-locked
     * until the transaction ends, so nobody can take the lock over between this check and the commit.
     *
     * @throws ShardmanException NODE_FAILURE (exit 1) naming what happened when the lock was lost or taken over
     */
    void verify(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(VERIFY)) {
            select.setLong(1, LOCK_KEY >>> 32);
            select.setLong(2, LOCK_KEY & 0xFFFFFFFFL);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next() && rows.getLong(1) == epoch && rows.getInt(2) == holder.backendPid() && rows.getBoolean(3)) {
                    return;
                }
            }
        }
        String now = readHolder(connection).filter(other -> other.backendPid() != holder.backendPid())
                .map(other -> "; it is held by " + other.describe() + " now").orElse("");
        throw new ShardmanException(ErrorCode.NODE_FAILURE,
                "the cluster lock of this " + holder.command() + " was lost (its shardlord session, backend pid " + holder.backendPid()
                        + ", ended or was taken over" + now + "); stopped before writing the metadata",
                "nothing more was committed by this run; run " + holder.command() + " again");
    }

    /** True while this lock's session still holds the advisory lock (false once released or the session was lost). */
    public boolean isHeld() {
        if (released) {
            return false;
        }
        try {
            OptionalInt lockPid = lockHolderPid(session);
            return lockPid.isPresent() && lockPid.getAsInt() == holder.backendPid();
        } catch (SQLException lost) {
            return false;
        }
    }

    /** Clears the holder row and releases the advisory lock; idempotent. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        try (Statement statement = session.createStatement()) {
            statement.executeUpdate(CLEAR_HOLDER);
            statement.execute(UNLOCK);
        } catch (SQLException failure) {
            if (isOpen(session)) {
                throw Transactions.shardlordFailure(failure);
            }
            // The session is gone, and the advisory lock with it; the row is stale and the next acquirer overwrites it.
        }
    }

    @Override
    public void close() {
        release();
    }

    private static ShardmanException held(Connection session) throws SQLException {
        OptionalInt lockPid = lockHolderPid(session);
        Optional<LockHolder> recorded = readHolder(session)
                .filter(holder -> lockPid.isEmpty() || holder.backendPid() == lockPid.getAsInt());
        String who = recorded.map(LockHolder::describe)
                .orElse("another shardman session" + (lockPid.isPresent() ? " (shardlord backend pid " + lockPid.getAsInt() + ")" : "")
                        + " that has not recorded itself yet");
        return new ShardmanException(ErrorCode.LOCK_HELD, "the cluster lock is held by " + who,
                "wait for it or, if that process is gone, the lock is released when its session ends (within "
                        + DEAD_HOLDER_BOUND.toSeconds() + " s when its host vanished)");
    }

    private static OptionalInt lockHolderPid(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(HOLDER_PID)) {
            select.setLong(1, LOCK_KEY >>> 32);
            select.setLong(2, LOCK_KEY & 0xFFFFFFFFL);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
            }
        }
    }

    private static long writeHolder(Connection session, LockHolder holder) throws SQLException {
        try (PreparedStatement upsert = session.prepareStatement(WRITE_HOLDER)) {
            upsert.setString(1, holder.user());
            upsert.setString(2, holder.host());
            upsert.setLong(3, holder.processId());
            upsert.setInt(4, holder.backendPid());
            upsert.setString(5, holder.command());
            upsert.setString(6, holder.planId().orElse(null));
            upsert.setTimestamp(7, Timestamp.from(holder.startedAt()));
            try (ResultSet rows = upsert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Optional<LockHolder> readHolder(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(READ_HOLDER)) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new LockHolder(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getInt(4), rows.getString(5),
                    Optional.ofNullable(rows.getString(6)), rows.getTimestamp(7).toInstant()));
        }
    }

    private static boolean isOpen(Connection session) {
        try {
            return !session.isClosed() && session.isValid(2);
        } catch (SQLException unknown) {
            return false;
        }
    }
}
