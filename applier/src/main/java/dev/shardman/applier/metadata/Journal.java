package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The step journal in {@code shardman.journal} and the two-phase-commit decisions in
 * {@code shardman.decisions}. Each call is its own shardlord transaction, so a row written here
 * survives a crash of the process right after; the metadata commit of a step (state change and its
 * journal row together) is {@link MetadataStore#commitStep}. Writes pass the store's fence (the cluster lock is
 * still ours) in their own transaction. Decisions are forgotten once no node holds their gid. No password is ever stored: a
 * description with one is refused, an error text is masked.
 */
public final class Journal {
    private static final String INSERT = """
            INSERT INTO shardman.journal (plan_id, step_id, description, status) VALUES (?, ?, ?, 'started') RETURNING id""";
    private static final String FINISH = """
            UPDATE shardman.journal SET status = ?, finished_at = clock_timestamp(), error = ?, serial_after = coalesce(?, serial_after)
            WHERE id = ?""";
    private static final String SET_STATUS = "UPDATE shardman.journal SET status = ? WHERE id = ?";
    private static final String WITHDRAW = "DELETE FROM shardman.journal WHERE id = ANY (?) AND status IN ('started', 'prepared')";
    private static final String SET_DECISION = """
            UPDATE shardman.journal SET decision = ?, status = ?, finished_at = clock_timestamp() WHERE id = ?""";
    private static final String INSERT_DECISION = """
            INSERT INTO shardman.decisions (gid, journal_id, decision) VALUES (?, ?, ?)
            ON CONFLICT (gid) DO NOTHING""";
    private static final String FORGET_DECISIONS = "DELETE FROM shardman.decisions WHERE gid = ANY (?)";
    private static final String PRUNE_DECISIONS = "DELETE FROM shardman.decisions WHERE NOT (gid = ANY (?))";
    private static final String DECISION_FOR = "SELECT decision FROM shardman.decisions WHERE gid = ?";
    private static final String SELECT = """
            SELECT id, plan_id, step_id, description, status, started_at, finished_at, error, decision, serial_after
            FROM shardman.journal""";
    /** The plan id prefix of {@code shardman exec --2pc} runs: journaled for their decisions, not apply runs. */
    public static final String EXEC_RUN_PREFIX = "exec_";
    private static final String LAST_RUN = SELECT + "\nWHERE plan_id = (SELECT plan_id FROM shardman.journal WHERE NOT starts_with(plan_id, '"
            + EXEC_RUN_PREFIX + "') ORDER BY id DESC LIMIT 1) ORDER BY id";

    private static final String INSERT_RUN = "INSERT INTO shardman.plan_runs (plan_id, steps) VALUES (?, ?)";
    private static final String PLANNED_STEPS = "SELECT steps FROM shardman.plan_runs WHERE plan_id = ?";

    private final Connection connection;
    private final Transactions.Fence fence;

    Journal(Connection connection, Transactions.Fence fence) {
        this.connection = requireNonNull(connection, "connection is null");
        this.fence = requireNonNull(fence, "fence is null");
    }

    /** Records that {@code stepId} of {@code planId} starts now; commits at once. */
    public StepRun startStep(String planId, String stepId, String description) {
        requireNonNull(planId, "planId is null");
        requireNonNull(stepId, "stepId is null");
        Secrets.refuseLiteralPassword("the description of step " + stepId, requireNonNull(description, "description is null"));
        long id = Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, planId);
                insert.setString(2, stepId);
                insert.setString(3, description);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
        return new StepRun(id, planId, stepId);
    }

    /** Records that the steps {@code stepIds} (with their {@code descriptions}) of {@code planId} start now, in order; one commit. */
    public List<StepRun> startSteps(String planId, List<String> stepIds, List<String> descriptions) {
        requireNonNull(planId, "planId is null");
        if (stepIds.size() != descriptions.size()) {
            throw new IllegalArgumentException("one description per step");
        }
        for (int index = 0; index < stepIds.size(); index++) {
            Secrets.refuseLiteralPassword("the description of step " + stepIds.get(index), descriptions.get(index));
        }
        List<Long> ids = Transactions.writing(connection, fence, connection -> {
            List<Long> inserted = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int index = 0; index < stepIds.size(); index++) {
                    insert.setString(1, planId);
                    insert.setString(2, stepIds.get(index));
                    insert.setString(3, descriptions.get(index));
                    try (ResultSet rows = insert.executeQuery()) {
                        rows.next();
                        inserted.add(rows.getLong(1));
                    }
                }
            }
            return inserted;
        });
        List<StepRun> runs = new ArrayList<>();
        for (int index = 0; index < ids.size(); index++) {
            runs.add(new StepRun(ids.get(index), planId, stepIds.get(index)));
        }
        return List.copyOf(runs);
    }

    /**
     * Deletes the rows of {@code runs} that are still started or prepared (a group whose round was rolled back before its
     * commit: its steps run again one by one, each journaled as always). No decision names them: none was recorded.
     */
    public void withdraw(List<StepRun> runs) {
        Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(WITHDRAW)) {
                delete.setArray(1, connection.createArrayOf("bigint", runs.stream().map(StepRun::journalId).toArray()));
                return delete.executeUpdate();
            }
        });
    }

    /** Records that the run {@code planId} starts a plan of {@code steps} steps; commits at once. */
    public void startRun(String planId, int steps) {
        requireNonNull(planId, "planId is null");
        Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_RUN)) {
                insert.setString(1, planId);
                insert.setInt(2, steps);
                return insert.executeUpdate();
            }
        });
    }

    /** How many steps the plan of the run {@code planId} has; empty for a run that recorded none (recover's). */
    public OptionalInt plannedSteps(String planId) {
        requireNonNull(planId, "planId is null");
        return Transactions.inTransaction(connection, connection -> {
            try (PreparedStatement select = connection.prepareStatement(PLANNED_STEPS)) {
                select.setString(1, planId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
                }
            }
        });
    }

    /** Marks {@code run} done without a metadata change (a step that only verified or repaired the nodes). */
    public void finishStep(StepRun run) {
        Transactions.writing(connection, fence, connection -> finish(connection, run, StepStatus.DONE, null, OptionalLong.empty()));
    }

    /** Marks {@code run} failed with {@code error} (any password-like value in it is masked). */
    public void failStep(StepRun run, String error) {
        String masked = Secrets.redact(requireNonNull(error, "error is null"));
        Transactions.writing(connection, fence, connection -> finish(connection, run, StepStatus.FAILED, masked, OptionalLong.empty()));
    }

    /** Marks {@code run} as having prepared its transactions on the nodes (no decision yet: recover would roll them back). */
    public void markPrepared(StepRun run) {
        markPrepared(List.of(run));
    }

    /** {@link #markPrepared(StepRun)} for every run of a group of steps prepared together, in one commit. */
    public void markPrepared(List<StepRun> runs) {
        Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement update = connection.prepareStatement(SET_STATUS)) {
                for (StepRun run : runs) {
                    update.setString(1, StepStatus.PREPARED.keyword());
                    update.setLong(2, run.journalId());
                    update.addBatch();
                }
                return update.executeBatch().length;
            }
        });
    }

    /**
     * Makes {@code decision} durable for the prepared transactions {@code gids} of {@code run}, before
     * the nodes are told. A commit that also changes the metadata goes through
     * {@link MetadataStore#commitStep(StepRun, dev.shardman.model.state.ClusterState, dev.shardman.model.state.ClusterState, List)}
     * instead, so that the decision and the change are one transaction.
     */
    public void recordDecision(StepRun run, List<String> gids, Decision decision) {
        Transactions.writing(connection, fence, connection -> {
            record(connection, run, gids, decision);
            return null;
        });
    }

    /** The decision recorded for {@code gid}; empty means none was made (presumed abort: roll it back). */
    public Optional<Decision> decisionFor(String gid) {
        requireNonNull(gid, "gid is null");
        return Transactions.inTransaction(connection, connection -> decision(connection, gid));
    }

    /** Forgets the decisions of {@code gids}, which no node holds any more (their COMMIT PREPARED succeeded everywhere). */
    public void forgetDecisions(List<String> gids) {
        deleteDecisions(FORGET_DECISIONS, gids);
    }

    /**
     * Forgets every decision but those of {@code stillPrepared}: the caller (recover, holding the lock) has just
     * resolved the prepared transactions of EVERY node and found only those left. Returns how many it forgot.
     */
    public int pruneDecisions(Set<String> stillPrepared) {
        return deleteDecisions(PRUNE_DECISIONS, List.copyOf(stillPrepared));
    }

    private int deleteDecisions(String delete, List<String> gids) {
        return Transactions.writing(connection, fence, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(delete)) {
                statement.setArray(1, connection.createArrayOf("text", gids.toArray()));
                return statement.executeUpdate();
            }
        });
    }

    /** The rows of the most recent plan run (the plan of the newest row, exec runs left out), oldest first; empty when nothing ever ran. */
    public List<JournalEntry> lastRun() {
        return Transactions.inTransaction(connection, connection -> {
            List<JournalEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(LAST_RUN); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(entry(rows));
                }
            }
            return entries;
        });
    }

    static void record(Connection connection, StepRun run, List<String> gids, Decision decision) throws SQLException {
        record(connection, List.of(run), gids, decision);
    }

    /** The decision of {@code gids}, prepared for all of {@code runs} together: recorded under the last run, and on every run's row. */
    static void record(Connection connection, List<StepRun> runs, List<String> gids, Decision decision) throws SQLException {
        StepStatus status = decision == Decision.COMMIT ? StepStatus.COMMITTED : StepStatus.ROLLED_BACK;
        StepRun last = runs.get(runs.size() - 1);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DECISION);
             PreparedStatement update = connection.prepareStatement(SET_DECISION)) {
            for (String gid : gids) {
                insert.setString(1, gid);
                insert.setLong(2, last.journalId());
                insert.setString(3, decision.keyword());
                insert.addBatch();
            }
            insert.executeBatch();
            for (StepRun run : runs) {
                update.setString(1, decision.keyword());
                update.setString(2, status.keyword());
                update.setLong(3, run.journalId());
                requireRow(update.executeUpdate(), run);
            }
        }
        for (String gid : gids) {
            Optional<Decision> stored = decision(connection, gid);
            if (stored.isPresent() && stored.get() != decision) {
                throw new ShardmanException(ErrorCode.INTERNAL,
                        "the prepared transaction " + gid + " was already decided " + stored.get().keyword(),
                        "a decision is final; run recover to finish it");
            }
        }
    }

    static Object finish(Connection connection, StepRun run, StepStatus status, String error, OptionalLong serialAfter) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(FINISH)) {
            update.setString(1, status.keyword());
            if (error == null) {
                update.setNull(2, Types.VARCHAR);
            } else {
                update.setString(2, error);
            }
            if (serialAfter.isPresent()) {
                update.setLong(3, serialAfter.getAsLong());
            } else {
                update.setNull(3, Types.BIGINT);
            }
            update.setLong(4, run.journalId());
            requireRow(update.executeUpdate(), run);
        }
        return null;
    }

    private static Optional<Decision> decision(Connection connection, String gid) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(DECISION_FOR)) {
            select.setString(1, gid);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(Decision.fromKeyword(rows.getString(1))) : Optional.empty();
            }
        }
    }

    private static void requireRow(int updated, StepRun run) {
        if (updated != 1) {
            throw new ShardmanException(ErrorCode.INTERNAL, "the journal has no row " + run.journalId() + " for step " + run.stepId(), "");
        }
    }

    private static JournalEntry entry(ResultSet rows) throws SQLException {
        long serialAfter = rows.getLong(10);
        boolean hasSerial = !rows.wasNull();
        return new JournalEntry(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                StepStatus.fromKeyword(rows.getString(5)), rows.getTimestamp(6).toInstant(),
                Optional.ofNullable(rows.getTimestamp(7)).map(Timestamp::toInstant), Optional.ofNullable(rows.getString(8)),
                Optional.ofNullable(rows.getString(9)).map(Decision::fromKeyword),
                hasSerial ? OptionalLong.of(serialAfter) : OptionalLong.empty());
    }
}
