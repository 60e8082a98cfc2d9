package dev.shardman.applier.metadata;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The moves in {@code shardman.moves} (schema version 2). Each call is its own shardlord transaction, committed
 * before it returns, so a phase is durable before the phase starts; the metadata commit of a move sets its phase in
 * the same transaction as the state ({@link MetadataStore#commitMove}).
 */
public final class Moves {
    private static final String COLUMNS = """
            SELECT id, step_id, plan_id, tables, partition_index, from_node, to_node, phase, verification, verification_detail, retired_kept
            FROM shardman.moves""";
    private static final String IN_FLIGHT = COLUMNS + " WHERE phase NOT IN ('done', 'rolled-back') ORDER BY id";
    private static final String INSERT = """
            INSERT INTO shardman.moves (step_id, plan_id, tables, partition_index, from_node, to_node, phase, publication, subscription, retired)
            VALUES (?, ?, ?, ?, ?, ?, 'copy', '', '', '{}') RETURNING id""";
    private static final String NAME = """
            UPDATE shardman.moves SET publication = ?, subscription = ?, retired = ? WHERE id = ?""";
    private static final String IDLENESS = """
            SELECT id, step_id, phase, extract(epoch FROM clock_timestamp() - updated_at)::bigint FROM shardman.moves
            WHERE phase NOT IN ('done', 'rolled-back') ORDER BY id""";
    private static final String SET_PHASE = "UPDATE shardman.moves SET phase = ?, updated_at = clock_timestamp() WHERE id = ?";
    private static final String VERIFIED = """
            UPDATE shardman.moves SET verification = ?, verification_detail = ?, updated_at = clock_timestamp() WHERE id = ?""";
    private static final String FIGURES = """
            UPDATE shardman.moves SET rows_moved = coalesce(?, rows_moved), bytes_moved = coalesce(?, bytes_moved),
                   copy_ms = coalesce(?, copy_ms), fence_ms = coalesce(?, fence_ms), updated_at = clock_timestamp() WHERE id = ?""";
    private static final String FINISH = """
            UPDATE shardman.moves SET phase = ?, retired_kept = ?, updated_at = clock_timestamp(), finished_at = clock_timestamp() WHERE id = ?""";

    private final Connection connection;
    private final Transactions.Fence fence;

    Moves(Connection connection, Transactions.Fence fence) {
        this.connection = requireNonNull(connection, "connection is null");
        this.fence = requireNonNull(fence, "fence is null");
    }

    /** Records a new move in phase copy (before anything is created) and names its objects after its id. */
    public MoveRecord start(String stepId, String planId, List<String> tables, int index, String fromNode, String toNode) {
        long id = Transactions.writing(connection, fence, connection -> {
            long newId;
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, stepId);
                insert.setString(2, planId);
                insert.setArray(3, connection.createArrayOf("text", tables.toArray()));
                insert.setInt(4, index);
                insert.setString(5, fromNode);
                insert.setString(6, toNode);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    newId = rows.getLong(1);
                }
            }
            MoveRecord named = new MoveRecord(newId, stepId, planId, tables, index, fromNode, toNode, MovePhase.COPY,
                    Optional.empty(), Optional.empty(), Optional.empty());
            try (PreparedStatement update = connection.prepareStatement(NAME)) {
                update.setString(1, named.channelName());
                update.setString(2, named.channelName());
                update.setArray(3, connection.createArrayOf("text", named.partitions().stream().map(named::retiredName).toArray()));
                update.setLong(4, newId);
                update.executeUpdate();
            }
            return newId;
        });
        return get(id);
    }

    /** Moves not done nor rolled back, oldest first. */
    public List<MoveRecord> inFlight() {
        return Transactions.inTransaction(connection, connection -> {
            List<MoveRecord> result = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(IN_FLIGHT); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(record(rows));
                }
            }
            return result;
        });
    }

    /** A move in flight and how long its row has not changed (phase, figures, verification), by the shardlord's clock. */
    public record Idle(long id, String stepId, String phase, java.time.Duration idle) {
    }

    /** {@link Idle} of every move in flight, oldest first. */
    public List<Idle> idleness() {
        return Transactions.inTransaction(connection, connection -> {
            List<Idle> result = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(IDLENESS); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(new Idle(rows.getLong(1), rows.getString(2), rows.getString(3), java.time.Duration.ofSeconds(rows.getLong(4))));
                }
            }
            return result;
        });
    }

    /**
     * Accepts the verification mismatch that stopped the move in flight named {@code name} (its step id, or the
     * anchor partition it moves): the next recover or apply finishes it and keeps the retired copy. Refused when no
     * such move is stopped on a mismatch.
     */
    public MoveRecord acceptMismatch(String name) {
        List<MoveRecord> stopped = inFlight().stream().filter(move -> move.verification().orElse(null) == MoveRecord.Verification.MISMATCH)
                .toList();
        MoveRecord move = stopped.stream().filter(candidate -> candidate.stepId().equals(name) || candidate.stepId().endsWith(":" + name))
                .findFirst().orElseThrow(() -> new dev.shardman.model.ShardmanException(dev.shardman.model.ErrorCode.REFUSED,
                        "no move stopped on a verification mismatch is named " + name + (stopped.isEmpty() ? " (none is stopped)"
                                : " (stopped: " + String.join(", ", stopped.stream().map(MoveRecord::stepId).toList()) + ")"),
                        "name it by its step id (move-primary:<partition>) or its partition, as drift-check shows it"));
        return recordVerification(move, MoveRecord.Verification.ACCEPTED, move.verificationDetail().orElse("")
                + "; accepted by the operator (recover --accept-mismatch), the retired copy is kept");
    }

    /** The unfinished move of {@code stepId}, if any (at most one: a unique index says so). */
    public Optional<MoveRecord> inFlight(String stepId) {
        return inFlight().stream().filter(move -> move.stepId().equals(stepId)).findFirst();
    }

    public MoveRecord get(long id) {
        return Transactions.inTransaction(connection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS + " WHERE id = ?")) {
                statement.setLong(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        throw new IllegalStateException("no move " + id);
                    }
                    return record(rows);
                }
            }
        });
    }

    /** Commits {@code phase} for the move (before the phase starts). */
    public MoveRecord setPhase(MoveRecord move, MovePhase phase) {
        Transactions.writing(connection, fence, connection -> setPhase(connection, move.id(), phase));
        return get(move.id());
    }

    public MoveRecord recordVerification(MoveRecord move, MoveRecord.Verification result, String detail) {
        Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement update = connection.prepareStatement(VERIFIED)) {
                update.setString(1, result.text());
                update.setString(2, detail);
                update.setLong(3, move.id());
                return update.executeUpdate();
            }
        });
        return get(move.id());
    }

    /** Rows, bytes, copy and fence milliseconds; a null leaves the stored figure. */
    public void recordFigures(MoveRecord move, Long rows, Long bytes, Long copyMillis, Long fenceMillis) {
        Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement update = connection.prepareStatement(FIGURES)) {
                setLong(update, 1, rows);
                setLong(update, 2, bytes);
                setLong(update, 3, copyMillis);
                setLong(update, 4, fenceMillis);
                update.setLong(5, move.id());
                return update.executeUpdate();
            }
        });
    }

    /** The stored figures: rows, bytes, copy ms, fence ms (0 when unknown, e.g. measured by a process that crashed). */
    public MoveFigures figures(MoveRecord move) {
        return Transactions.inTransaction(connection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT coalesce(rows_moved, 0), coalesce(bytes_moved, 0), coalesce(copy_ms, 0), coalesce(fence_ms, 0) FROM shardman.moves WHERE id = ?")) {
                statement.setLong(1, move.id());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return new MoveFigures(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
                }
            }
        });
    }

    /** Ends the move as {@code phase} (done or rolled back), recording whether its retired copies stay on the source. */
    public void finish(MoveRecord move, MovePhase phase, boolean retiredKept) {
        if (!phase.finished()) {
            throw new IllegalArgumentException("not a final phase: " + phase);
        }
        Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement update = connection.prepareStatement(FINISH)) {
                update.setString(1, phase.text());
                update.setBoolean(2, retiredKept);
                update.setLong(3, move.id());
                return update.executeUpdate();
            }
        });
    }

    static int setPhase(Connection connection, long id, MovePhase phase) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SET_PHASE)) {
            update.setString(1, phase.text());
            update.setLong(2, id);
            return update.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement statement, int position, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(position, java.sql.Types.BIGINT);
        } else {
            statement.setLong(position, value);
        }
    }

    private static MoveRecord record(ResultSet rows) throws SQLException {
        Array tables = rows.getArray(4);
        String verification = rows.getString(9);
        boolean kept = rows.getBoolean(11);
        Optional<Boolean> retiredKept = rows.wasNull() ? Optional.empty() : Optional.of(kept);
        return new MoveRecord(rows.getLong(1), rows.getString(2), rows.getString(3), Arrays.asList((String[]) tables.getArray()),
                rows.getInt(5), rows.getString(6), rows.getString(7), MovePhase.parse(rows.getString(8)),
                Optional.ofNullable(verification).map(text -> MoveRecord.Verification.valueOf(text.toUpperCase(java.util.Locale.ROOT))),
                Optional.ofNullable(rows.getString(10)), retiredKept);
    }
}
