package dev.shardman.applier.move;

import dev.shardman.applier.connect.Connections;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.metadata.CommitNotAcknowledged;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.MoveFigures;
import dev.shardman.applier.metadata.MovePhase;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.metadata.StepRun;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.PartitionUnit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Runs one MovePrimary online, phase by phase ({@link MovePhase}), each phase committed to {@code shardman.moves}
 * before it starts and each idempotent (it looks at the catalogs first), so that a run killed anywhere is resumed by
 * the next apply, or finished or rolled back by recover ({@link MoveRecovery}). The metadata commit and phase
 * {@code cleanup} are one shardlord transaction. Retired copies are dropped only after a passed verification on a
 * source that stays (docs/internals/moves.md, "Phases" and "Retired copies").
 */
public final class MoveRunner {
    private final MetadataStore store;
    private final MoveConnections connections;
    private final ConninfoSecrets secrets;
    private final ChannelReconciler channels;
    private final Set<String> leavingNodes;
    private final MoveEvents events;
    /** The moves of this apply whose copy and catch-up ran ahead of their turn ({@link #copyAhead}); shared by {@link #withSessions}. */
    private final Set<Long> caughtUpAhead;

    public MoveRunner(MetadataStore store, MoveConnections connections, ConninfoSecrets secrets, ChannelReconciler channels,
                      Set<String> leavingNodes, MoveEvents events) {
        this(store, connections, secrets, channels, leavingNodes, events, ConcurrentHashMap.newKeySet());
    }

    private MoveRunner(MetadataStore store, MoveConnections connections, ConninfoSecrets secrets, ChannelReconciler channels,
                       Set<String> leavingNodes, MoveEvents events, Set<Long> caughtUpAhead) {
        this.caughtUpAhead = caughtUpAhead;
        this.store = requireNonNull(store, "store is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.leavingNodes = Set.copyOf(leavingNodes);
        this.events = requireNonNull(events, "events is null");
    }

    /**
     * Runs (or resumes) {@code step} from the metadata {@code before}, journaled as {@code run}; it is data move
     * {@code unit} of {@code units} in the plan. Returns the committed state after the move.
     */
    public ClusterState run(MovePrimary step, StepRun run, ClusterState before, int unit, int units) throws SQLException {
        ClusterState after = StateProjection.apply(before, step);
        MoveRecord move = resumable(step).orElseGet(() -> store.moves().start(step.id().value(), run.planId(),
                step.unit().tables(), step.unit().index(), step.from(), step.to()));
        return forward(MoveContext.of(move, before, after, connections, secrets), run, unit, units);
    }

    /**
     * This runner on other sessions (a shardlord store and node connections of another thread's own), for a move's copy
     * ahead of its turn; it knows the same moves that ran ahead.
     */
    public MoveRunner withSessions(MetadataStore otherStore, MoveConnections otherConnections) {
        return new MoveRunner(otherStore, otherConnections, secrets, channels, leavingNodes, events, caughtUpAhead);
    }

    /**
     * Records (or finds, as {@link #run} does) the move of {@code step} in {@code shardman.moves} before its copy runs ahead
     * ({@link #copyAhead}): from then on the reconcilers of the other steps leave its partitions alone.
     */
    public MoveRecord startAhead(MovePrimary step, String planId) throws SQLException {
        Optional<MoveRecord> found = resumable(step);
        return found.isPresent() ? found.get() : store.moves().start(step.id().value(), planId, step.unit().tables(), step.unit().index(),
                step.from(), step.to());
    }

    /**
     * Phases copy and catch-up of {@code move} ahead of its turn, from the metadata {@code before} (the unit still on its
     * source); {@link #run} at its turn goes on from there, checking the catch-up again without re-entering the phase.
     */
    public void copyAhead(MoveRecord move, ClusterState before, int unit, int units) throws SQLException {
        MoveContext context = MoveContext.of(store.moves().get(move.id()), before, StateProjection.apply(before, stepOf(move)), connections,
                secrets);
        copyAndCatchUp(context, unit, units);
        caughtUpAhead.add(move.id());
    }

    /** The move in flight for this step, if it is this very move; one that went elsewhere and had not cut over is rolled back. */
    private Optional<MoveRecord> resumable(MovePrimary step) throws SQLException {
        Optional<MoveRecord> found = store.moves().inFlight(step.id().value());
        if (found.isEmpty()) {
            return found;
        }
        MoveRecord move = found.get();
        if (move.fromNode().equals(step.from()) && move.toNode().equals(step.to()) && move.tables().equals(step.unit().tables())) {
            return found;
        }
        if (move.phase().pastCutover()) {
            throw new ShardmanException(ErrorCode.REFUSED, "the move of " + move.describe() + " is past its cutover (" + move.phase().text()
                    + ") but the plan moves " + step.unit().describe() + " from " + step.from() + " to " + step.to(),
                    "run shardman recover: it finishes that move first");
        }
        new MoveRecovery(store, connections, secrets, channels, leavingNodes, events).rollBack(move, store.readState());
        events.notice("rolled back the move of " + move.describe() + " (phase " + move.phase().text() + "): the plan moves the unit elsewhere");
        return Optional.empty();
    }

    /** Runs the phases from the move's recorded one to the end. */
    ClusterState forward(MoveContext context, StepRun run, int unit, int units) throws SQLException {
        Set<TableName> excluded = otherMovesTables(context.move());
        MoveRecord move;
        if (caughtUpAhead.remove(context.move().id())) {
            // its phases ran ahead: the subscription may have fallen behind since, the gate is checked again
            MoveCatchUp.run(context, unit, units, events::progress);
            move = context.move();
        } else {
            move = copyAndCatchUp(context, unit, units);
        }
        move = cutOverAndVerify(context.withMove(move), unit, units);
        if (move.verification().orElse(null) == MoveRecord.Verification.MISMATCH) {
            throw mismatch(move);
        }
        MoveContext current = context.withMove(move);
        move = phase(move, MovePhase.SWITCH_DESTINATION, started -> {
            progress(current, unit, units, MovePhase.SWITCH_DESTINATION);
            MoveSwitch.destination(current);
            return started;
        });
        move = phase(move, MovePhase.SWITCH_OTHERS, started -> {
            progress(current, unit, units, MovePhase.SWITCH_OTHERS);
            MoveSwitch.reconcileUnit(current, switchOrder(current), excluded);
            return started;
        });
        boolean commitsNow = enter(move, MovePhase.COMMIT);
        move = phase(move, MovePhase.COMMIT, started -> {
            progress(current, unit, units, MovePhase.COMMIT);
            return commit(current.withMove(started), run);
        });
        if (commitsNow) {
            // the source's channels let the unit go, a holder left out of the handover is copied (recover's channel pass after a crash here)
            // only the channels the move changed and the nodes at their ends (recover's pass after a crash is the full one)
            channels.shrink(current.after(), ChannelReconciler.changedEnds(current.before(), current.after()));
            channels.growChanged(current.before(), current.after());
        }
        events.faultPoint(move.stepId(), MovePhase.CLEANUP.text());
        progress(current, unit, units, MovePhase.CLEANUP);
        cleanUp(current.withMove(move), excluded);
        return current.after();
    }

    /** Phases copy and catch-up (unless the move is past them); returns the move as it stands after them. */
    private MoveRecord copyAndCatchUp(MoveContext context, int unit, int units) throws SQLException {
        long copyStarted = System.nanoTime();
        MoveRecord move = phase(context.move(), MovePhase.COPY, started -> {
            progress(context, unit, units, MovePhase.COPY);
            MoveCopy.run(context);
            return started;
        });
        return phase(move, MovePhase.CATCH_UP, started -> {
            MoveCatchUp.run(context, unit, units, events::progress);
            store.moves().recordFigures(started, null, null, Duration.ofNanos(System.nanoTime() - copyStarted).toMillis(), null);
            return started;
        });
    }

    /** One phase's work, given the move with the phase committed; returns the move as it stands after it. */
    private interface PhaseWork {
        MoveRecord run(MoveRecord started) throws SQLException;
    }

    /**
     * Runs {@code phase} unless the move is past it: commits the phase first, hits the fault point {@code <phase>},
     * does the work, hits {@code <phase>-done}.
     */
    private MoveRecord phase(MoveRecord move, MovePhase phase, PhaseWork work) throws SQLException {
        if (!enter(move, phase)) {
            return move;
        }
        MoveRecord started = move.phase() == phase ? move : store.moves().setPhase(move, phase);
        events.faultPoint(move.stepId(), phase.text());
        MoveRecord done = work.run(started);
        events.faultPoint(move.stepId(), phase.text() + "-done");
        return done;
    }

    /**
     * Phases cutover and verify: the destination's snapshot of the copy at the cutover position stays open from one to
     * the other, and is closed whatever happens in between.
     */
    private MoveRecord cutOverAndVerify(MoveContext context, int unit, int units) throws SQLException {
        AtomicReference<Connection> snapshot = new AtomicReference<>();
        try {
            MoveRecord move = phase(context.move(), MovePhase.CUTOVER, started -> {
                progress(context, unit, units, MovePhase.CUTOVER);
                MoveCutover.Result cutover = MoveCutover.run(context, channels, events);
                cutover.leftOut().forEach(events::notice);
                cutover.snapshot().ifPresent(snapshot::set);
                if (cutover.snapshot().isPresent()) {
                    store.moves().recordFigures(started, null, null, null, Math.max(1, cutover.fence().toMillis()));
                }
                return started;
            });
            return phase(move, MovePhase.VERIFY, started -> {
                progress(context, unit, units, MovePhase.VERIFY);
                return verify(context.withMove(started), Optional.ofNullable(snapshot.getAndSet(null)));
            });
        } finally {
            Connection unused = snapshot.get();
            if (unused != null) {
                Connections.closeQuietly(unused);
            }
        }
    }

    /**
     * The metadata (the unit on the destination) and the move's phase cleanup, in one shardlord transaction; the store
     * is fenced by the cluster lock (apply and recover alike), so a holder that lost it stops here, as at every phase.
     * A commit whose reply was lost is read back: committed, the move goes on to its cleanup.
     */
    private MoveRecord commit(MoveContext context, StepRun run) {
        try {
            store.commitMove(run, context.before(), context.after(), context.move());
        } catch (CommitNotAcknowledged lostReply) {
            if (!store.stepCommitted(run, context.after())) {
                throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord did not commit the move: " + lostReply.summary(),
                        "nothing was committed; apply resumes the move", lostReply);
            }
        }
        return store.moves().get(context.move().id());
    }

    /** The destination first (it must now match the state after exactly), then every other live node but the source, by name. */
    private static List<NodeState> switchOrder(MoveContext context) {
        List<NodeState> nodes = new ArrayList<>(List.of(context.destination()));
        context.after().nodes().stream().filter(node -> !node.lost())
                .filter(node -> !node.name().equals(context.source().name()) && !node.name().equals(context.destination().name()))
                .sorted(Comparator.comparing(NodeState::name)).forEach(nodes::add);
        return nodes;
    }

    /** Phase cleanup and the end of the move (its report); also what recover runs for a move committed but not cleaned up. */
    void cleanUp(MoveContext context, Set<TableName> excluded) throws SQLException {
        MoveRecord move = context.move();
        boolean verified = move.verification().orElse(null) == MoveRecord.Verification.PASSED;
        boolean leaving = leavingNodes.contains(move.fromNode());
        List<TableName> kept = MoveCleanup.cleanUp(context, !verified || leaving, excluded);
        store.moves().finish(move, MovePhase.DONE, !kept.isEmpty());
        events.faultPoint(move.stepId(), MovePhase.CLEANUP.text() + "-done");
        if (!kept.isEmpty()) {
            events.notice(move.fromNode() + " keeps the retired copies " + kept.stream().map(TableName::toString).collect(Collectors.joining(", "))
                    + " of the move of " + move.describe() + (leaving ? " (the node leaves the cluster: its data stays on it)"
                    : move.verification().orElse(null) == MoveRecord.Verification.ACCEPTED
                    ? " (the copies differed at the cutover and the operator accepted it: keep them until you are sure, then drop them by hand)"
                    : " (UNVERIFIED: the cutover snapshot was lost in a crash; compare them with " + move.toNode() + " and drop them by hand)"));
        }
        MoveFigures figures = store.moves().figures(move);
        events.done(new MoveReport(move.stepId(), move.describe() + (kept.isEmpty() ? "" : ", retired copies kept on " + move.fromNode()),
                figures.rows(), figures.bytes(), Duration.ofMillis(figures.copyMillis()), Duration.ofMillis(figures.fenceMillis())));
    }

    private MoveRecord verify(MoveContext context, Optional<Connection> snapshot) throws SQLException {
        MoveRecord move = context.move();
        if (move.verification().isPresent()) {
            snapshot.ifPresent(Connections::closeQuietly);
            return move;
        }
        if (snapshot.isEmpty()) {
            // said loudly when the move ends (cleanUp): the retired copies stay
            String retired = context.tables().stream().map(table -> context.retired(table).toString()).collect(Collectors.joining(", "));
            MoveVerify.Outcome retiredOnly = MoveVerify.retiredFigures(context);
            store.moves().recordFigures(move, retiredOnly.rows(), retiredOnly.bytes(), null, null);
            return store.moves().recordVerification(move, MoveRecord.Verification.LOST,
                    "the cutover snapshot was lost (the process ended after the cutover committed); retired copies kept: " + retired);
        }
        MoveVerify.Outcome outcome = MoveVerify.run(context, snapshot.get());
        store.moves().recordFigures(move, outcome.rows(), outcome.bytes(), null, null);
        return store.moves().recordVerification(move, outcome.passed() ? MoveRecord.Verification.PASSED : MoveRecord.Verification.MISMATCH,
                outcome.detail());
    }

    static ShardmanException mismatch(MoveRecord move) {
        return new ShardmanException(ErrorCode.NODE_FAILURE, "the move of " + move.describe() + " stopped: the copies differ at the cutover: "
                + move.verificationDetail().orElse("(no figures)"),
                "nothing was dropped: " + move.toNode() + " serves the partition, " + move.fromNode() + " keeps the retired copy in schema "
                        + MoveRecord.RETIRED_SCHEMA + "; investigate before running apply again (it refuses to go on with this move); then "
                        + "shardman recover --accept-mismatch " + move.stepId() + " finishes the move and keeps the retired copy");
    }

    /** Whether the move still has {@code phase} (or an earlier one) ahead of it; a phase already passed is skipped. */
    private static boolean enter(MoveRecord move, MovePhase phase) {
        return move.phase().compareTo(phase) <= 0;
    }

    private void progress(MoveContext context, int unit, int units, MovePhase phase) {
        events.progress(new MoveProgress(context.move().stepId(), context.move().describe(), unit, units, phase.text(), 0, 0, Optional.empty()));
    }

    /** The partitions of the other moves in flight (e.g. one stopped on a mismatch), which this move's reconciles leave alone. */
    private Set<TableName> otherMovesTables(MoveRecord move) {
        List<MoveRecord> others = store.moves().inFlight().stream().filter(other -> other.id() != move.id()).toList();
        // the whole state is read only to name the schemas of other moves' tables: usually there is none
        return others.isEmpty() ? Set.of() : MoveTables.of(others, store.readState());
    }


    /** The MovePrimary step a stored move runs (what recover resumes). */
    static MovePrimary stepOf(MoveRecord move) {
        return new MovePrimary(new PartitionUnit(move.tables(), move.index()), move.fromNode(), move.toNode());
    }
}
