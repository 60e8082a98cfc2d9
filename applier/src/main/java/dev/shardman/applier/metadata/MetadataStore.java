package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The cluster metadata in the shardlord database (schema {@code shardman}), read and written as {@link ClusterState}s;
 * {@link #open} creates or upgrades the schema first. {@link #commitStep} is optimistic: it fails with
 * {@link ErrorCode#STALE_PLAN}, writing nothing, when the stored lineage or serial is not the one it started from; a
 * store {@link #fencedBy} the lock also checks the lock is still its own. Lineages are random ({@link #newLineage()}).
 * One thread, autocommit between calls (docs/internals/metadata-and-lock.md).
 */
public final class MetadataStore {
    private static final String CLUSTER = "SELECT name, lineage::text, serial, created_at FROM shardman.cluster";
    private static final String INSERT_CLUSTER = "INSERT INTO shardman.cluster (name, lineage, serial) VALUES (?, ?::uuid, 0)";
    private static final String LOCK_CLUSTER = "SELECT lineage::text, serial FROM shardman.cluster FOR UPDATE";
    private static final String SET_SERIAL = "UPDATE shardman.cluster SET serial = ?";
    /* The unacknowledged commit held this row: once we get it, that transaction has ended one way or the other. */
    private static final String AWAIT_UNACKNOWLEDGED = "SELECT serial FROM shardman.cluster FOR UPDATE";
    private static final String STEP_OUTCOME = "SELECT status, serial_after FROM shardman.journal WHERE id = ?";
    private static final int READ_BACK_LOCK_TIMEOUT_SECONDS = 30;

    private final Connection connection;
    private final Transactions.Fence fence;
    private final Optional<Supplier<Connection>> reconnect;
    private final Journal journal;
    private final Moves moves;

    private MetadataStore(Connection connection, Transactions.Fence fence, Optional<Supplier<Connection>> reconnect) {
        this.connection = connection;
        this.fence = fence;
        this.reconnect = reconnect;
        this.journal = new Journal(connection, fence);
        this.moves = new Moves(connection, fence);
    }

    /** The store on {@code connection} (a shardlord connection in autocommit mode), its schema migrated to the latest version. */
    public static MetadataStore open(Connection connection) {
        requireNonNull(connection, "connection is null");
        try {
            Migrations.migrate(connection);
        } catch (SQLException failure) {
            throw Transactions.shardlordFailure(failure);
        }
        return new MetadataStore(connection, Transactions.Fence.NONE, Optional.empty());
    }

    /**
     * This store, every write of which (steps, journal, decisions, moves) first checks, in its own transaction, that
     * {@code lock} is still held by this process ({@link ClusterLock#verify}); {@code reconnect} opens a fresh shardlord
     * connection to read back a commit whose reply was lost when this store's connection broke.
     */
    public MetadataStore fencedBy(ClusterLock lock, Supplier<Connection> reconnect) {
        requireNonNull(lock, "lock is null");
        return new MetadataStore(connection, lock::verify, Optional.of(requireNonNull(reconnect, "reconnect is null")));
    }

    /** Throws (exit 1, naming what happened) unless the cluster lock this store is fenced by is still held. */
    public void requireLock() {
        Transactions.writing(connection, fence, checked -> null);
    }

    /**
     * After a {@link CommitNotAcknowledged} from {@link #commitStep}: whether the step {@code run} committed, leading to
     * {@code after}. Waits (bounded) until the unacknowledged transaction has ended, on this store's connection or, when
     * that broke, on a fresh one. False means certainly not committed.
     *
     * @throws CommitNotAcknowledged when the outcome cannot be read back: then nothing may be presumed
     */
    public boolean stepCommitted(StepRun run, ClusterState after) {
        requireNonNull(run, "run is null");
        try {
            if (connection.isValid(5)) {
                return readOutcome(connection, run, after);
            }
            try (Connection fresh = reconnect.orElseThrow(() -> new SQLException("no way to reconnect to the shardlord")).get()) {
                return readOutcome(fresh, run, after);
            }
        } catch (SQLException | RuntimeException unreadable) {
            throw new CommitNotAcknowledged("the outcome of the metadata commit of step " + run.stepId() + " could not be read back: "
                    + Secrets.redact(String.valueOf(unreadable.getMessage())), unreadable);
        }
    }

    private static boolean readOutcome(Connection connection, StepRun run, ClusterState after) {
        return Transactions.inTransaction(connection, reading -> {
            try (Statement statement = reading.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '" + READ_BACK_LOCK_TIMEOUT_SECONDS + "s'");
                statement.executeQuery(AWAIT_UNACKNOWLEDGED).close();
            }
            try (PreparedStatement select = reading.prepareStatement(STEP_OUTCOME)) {
                select.setLong(1, run.journalId());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return false;
                    }
                    StepStatus status = StepStatus.fromKeyword(rows.getString(1));
                    long serialAfter = rows.getLong(2);
                    return !rows.wasNull() && serialAfter == after.serial() && (status == StepStatus.DONE || status == StepStatus.COMMITTED);
                }
            }
        });
    }

    /**
     * The store on {@code connection} for reading only, WITHOUT creating or upgrading anything (plan,
     * drift-check, status): empty when the shardlord has no {@code shardman} schema yet (a new
     * cluster); refused when the schema is newer than this code, or older (run apply or recover,
     * which upgrade it).
     */
    public static Optional<MetadataStore> openReadOnly(Connection connection) {
        requireNonNull(connection, "connection is null");
        boolean present = Transactions.inTransaction(connection, Connection.TRANSACTION_READ_COMMITTED, true, reading -> {
            try (Statement statement = reading.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT to_regclass('shardman.schema_version') IS NOT NULL")) {
                rows.next();
                return rows.getBoolean(1);
            }
        });
        if (!present) {
            return Optional.empty();
        }
        int version = Transactions.inTransaction(connection, Connection.TRANSACTION_READ_COMMITTED, true, Migrations::currentVersion);
        if (version != Migrations.latest()) {
            throw new ShardmanException(ErrorCode.REFUSED, "the shardlord metadata is at schema version " + version
                    + ", this shardman reads version " + Migrations.latest(),
                    version > Migrations.latest() ? "use the shardman release that wrote it" : "run shardman apply or recover once to upgrade it");
        }
        return Optional.of(new MetadataStore(connection, Transactions.Fence.NONE, Optional.empty()));
    }

    /** This store, once {@link #requireCluster(Connection, String)} passed on its connection. */
    public MetadataStore requireCluster(String specCluster) {
        requireCluster(connection, specCluster);
        return this;
    }

    /**
     * Refuses unless the shardlord on {@code connection} holds the cluster the spec names ({@code specCluster}) or none
     * yet: a spec whose {@code shardlord:} points at another cluster's database (a copied file, a wrong {@code ${env:}}
     * value) would otherwise be planned against that cluster, and apply would reshape it into the spec's. Reads only,
     * before any migration of the schema.
     */
    public static void requireCluster(Connection connection, String specCluster) {
        requireNonNull(specCluster, "specCluster is null");
        Optional<String> held = Transactions.inTransaction(connection, Connection.TRANSACTION_READ_COMMITTED, true, reading -> {
            try (Statement statement = reading.createStatement()) {
                try (ResultSet exists = statement.executeQuery("SELECT to_regclass('shardman.cluster') IS NOT NULL")) {
                    exists.next();
                    if (!exists.getBoolean(1)) {
                        return Optional.<String>empty();
                    }
                }
                try (ResultSet rows = statement.executeQuery("SELECT name FROM shardman.cluster")) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
                }
            }
        });
        if (held.isPresent() && !held.get().equals(specCluster)) {
            throw new ShardmanException(ErrorCode.REFUSED, "the shardlord holds the cluster " + held.get() + ", not the spec's "
                    + specCluster + ": its shardlord: names another cluster's database; nothing was read or changed",
                    "check the spec's shardlord: (and the ${env:} values in it); a cluster keeps its name for life, and a new one "
                            + "needs a database of its own");
        }
    }

    /**
     * Records {@code identifier} as the system identifier of the registered node {@code node} (recover --accept-server:
     * the operator vouches that the server now answering for it holds its data); returns the one recorded before.
     */
    public Optional<String> recordSystemIdentifier(String node, String identifier) {
        return Transactions.writing(connection, fence, writing -> {
            Optional<String> before;
            try (PreparedStatement select = writing.prepareStatement("SELECT system_identifier FROM shardman.nodes WHERE name = ? FOR UPDATE")) {
                select.setString(1, node);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw new ShardmanException(ErrorCode.INVALID_INPUT, node + " is not a registered node", "name a node of the metadata");
                    }
                    before = Optional.ofNullable(rows.getString(1));
                }
            }
            try (PreparedStatement update = writing.prepareStatement("UPDATE shardman.nodes SET system_identifier = ? WHERE name = ?")) {
                update.setString(1, identifier);
                update.setString(2, node);
                update.executeUpdate();
            }
            return before;
        });
    }

    /** A fresh random lineage for a new cluster. */
    public static String newLineage() {
        return UUID.randomUUID().toString();
    }

    /** The schema version of the metadata (the latest this code knows, once opened). */
    public int schemaVersion() {
        return Transactions.inTransaction(connection, Migrations::currentVersion);
    }

    public Journal journal() {
        return journal;
    }

    /** The data moves in flight and their phases (schema version 2). */
    public Moves moves() {
        return moves;
    }

    /** The cluster row; empty when this shardlord holds no cluster yet. */
    public Optional<ClusterRecord> cluster() {
        return Transactions.inTransaction(connection, connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(CLUSTER)) {
                return rows.next()
                        ? Optional.of(new ClusterRecord(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getTimestamp(4).toInstant()))
                        : Optional.empty();
            }
        });
    }

    /** The whole metadata from one consistent snapshot; {@link ClusterState#empty()} when no cluster was created. */
    public ClusterState readState() {
        return Transactions.inTransaction(connection, Connection.TRANSACTION_REPEATABLE_READ, true, StateReader::read);
    }

    /**
     * Creates the cluster row: {@code clusterName} with {@code lineage} at serial 0, holding nothing.
     * Idempotent for the same name (the stored lineage is kept, so a resumed apply does not change it);
     * refused when the shardlord already holds another cluster.
     */
    public ClusterState initialize(String clusterName, String lineage) {
        requireNonNull(clusterName, "clusterName is null");
        UUID.fromString(requireNonNull(lineage, "lineage is null"));
        requireCluster(clusterName);
        if (cluster().isPresent()) {
            return readState();
        }
        Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_CLUSTER)) {
                insert.setString(1, clusterName);
                insert.setString(2, lineage);
                return insert.executeUpdate();
            }
        });
        return readState();
    }

    /** {@link #commitStep(StepRun, ClusterState, ClusterState, List)} for a step without prepared transactions. */
    public ClusterState commitStep(StepRun run, ClusterState before, ClusterState after) {
        return commitStep(run, before, after, List.of());
    }

    /**
     * Commits one step in ONE transaction: checks that the stored lineage and serial are {@code before}'s,
     * writes what differs between {@code before} and {@code after}, sets the serial to {@code after}'s and
     * closes {@code run}'s journal row (status done, or committed with the decision COMMIT recorded for
     * {@code preparedGids}, which the caller then commits on the nodes).
     *
     * @param after the state the step leads to: same lineage as {@code before}, a larger serial
     * @return {@code after} as stored
     * @throws ShardmanException STALE_PLAN when the stored state is not {@code before} (nothing is written);
     *         INVALID_INPUT when a conninfo holds a literal password
     */
    public ClusterState commitStep(StepRun run, ClusterState before, ClusterState after, List<String> preparedGids) {
        return commit(List.of(run), before, List.of(after), preparedGids, connection -> 0);
    }

    /**
     * {@link #commitStep(StepRun, ClusterState, ClusterState, List)} of consecutive steps whose node work was prepared
     * together ({@code preparedGids}): ONE transaction writes what differs between {@code before} and the last of
     * {@code afters} and closes every run's row, each with the serial after its own step.
     *
     * @param afters the state after each run's step, in order
     */
    public ClusterState commitSteps(List<StepRun> runs, ClusterState before, List<ClusterState> afters, List<String> preparedGids) {
        return commit(runs, before, afters, preparedGids, connection -> 0);
    }

    /**
     * {@link #commitStep(StepRun, ClusterState, ClusterState)} of a MovePrimary step: in the same transaction, the move
     * enters phase cleanup, so that the state (the unit's primary on the destination) and the move's phase never disagree.
     */
    public ClusterState commitMove(StepRun run, ClusterState before, ClusterState after, MoveRecord move) {
        requireNonNull(move, "move is null");
        return commit(List.of(run), before, List.of(after), List.of(), connection -> Moves.setPhase(connection, move.id(), MovePhase.CLEANUP));
    }

    private ClusterState commit(List<StepRun> runs, ClusterState before, List<ClusterState> afters, List<String> preparedGids,
                                Transactions.Work<Integer> alsoInTransaction) {
        requireNonNull(before, "before is null");
        if (runs.isEmpty() || runs.size() != afters.size()) {
            throw new IllegalArgumentException("one state after per step run");
        }
        ClusterState after = requireNonNull(afters.get(afters.size() - 1), "after is null");
        List<String> gids = List.copyOf(preparedGids);
        if (!after.lineage().equals(before.lineage()) || after.serial() <= before.serial()) {
            throw new IllegalArgumentException("a step keeps the lineage and raises the serial: " + before.lineage() + "/" + before.serial()
                    + " -> " + after.lineage() + "/" + after.serial());
        }
        Transactions.writing(connection, fence, connection -> {
            checkUnchanged(connection, before);
            StateWriter.write(connection, before, after);
            try (PreparedStatement update = connection.prepareStatement(SET_SERIAL)) {
                update.setLong(1, after.serial());
                update.executeUpdate();
            }
            if (!gids.isEmpty()) {
                Journal.record(connection, runs, gids, Decision.COMMIT);
            }
            alsoInTransaction.run(connection);
            for (int index = 0; index < runs.size(); index++) {
                Journal.finish(connection, runs.get(index), gids.isEmpty() ? StepStatus.DONE : StepStatus.COMMITTED, null,
                        OptionalLong.of(afters.get(index).serial()));
            }
            return null;
        });
        return after;
    }

    private static void checkUnchanged(Connection connection, ClusterState before) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(LOCK_CLUSTER)) {
            if (!rows.next()) {
                throw new ShardmanException(ErrorCode.REFUSED, "the shardlord holds no cluster yet",
                        "initialize the cluster before committing steps (apply does this)");
            }
            String lineage = rows.getString(1);
            long serial = rows.getLong(2);
            if (!lineage.equals(before.lineage()) || serial != before.serial()) {
                throw new ShardmanException(ErrorCode.STALE_PLAN,
                        "the cluster metadata changed while this step ran: it is at serial " + serial
                                + (lineage.equals(before.lineage()) ? "" : " of another lineage (" + lineage + ")")
                                + ", the step started from serial " + before.serial(),
                        "another process changed the cluster; nothing was written for this step: run plan again");
            }
        }
    }
}
