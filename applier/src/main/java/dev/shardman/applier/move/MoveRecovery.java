package dev.shardman.applier.move;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.MovePhase;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.metadata.StepRun;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.applier.replication.ReplicaHandover;
import dev.shardman.applier.replication.ReplicationSql;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.MovePrimary;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What recovery (the {@code recover} command, and apply's start-up pass) does about moves: past the source's cutover a
 * move only goes forward, because writes have gone to the destination since; before it, it is left for apply while
 * the plan holds its step, else rolled back. In order: {@link #finish} (with {@link MoveAbandon},
 * {@link LostSourceMove}, {@link LostDestinationMove}), {@link #rollBackUnplanned}, {@link #sweepOrphans}; reconcilers
 * leave {@link #inFlightTables} alone (docs/internals/moves.md, "Recovery of moves").
 */
public final class MoveRecovery {
    private final MetadataStore store;
    private final MoveConnections connections;
    private final ConninfoSecrets secrets;
    private final ChannelReconciler channels;
    private final Set<String> leavingNodes;
    private final MoveEvents events;
    private final MoveAbandon abandon;
    private final boolean allowDataLoss;

    public MoveRecovery(MetadataStore store, MoveConnections connections, ConninfoSecrets secrets, ChannelReconciler channels,
                        Set<String> leavingNodes, MoveEvents events) {
        this(store, connections, secrets, channels, leavingNodes, Set.of(), events);
    }

    /** @param lostNodes the nodes the spec marks lost (the metadata's lost nodes count too): moves touching them are abandoned */
    public MoveRecovery(MetadataStore store, MoveConnections connections, ConninfoSecrets secrets, ChannelReconciler channels,
                        Set<String> leavingNodes, Set<String> lostNodes, MoveEvents events) {
        this(store, connections, secrets, channels, leavingNodes, lostNodes, false, events);
    }

    /** @param allowDataLoss a move whose destination was lost after the cutover may take the source's copy back (apply --allow-data-loss) */
    public MoveRecovery(MetadataStore store, MoveConnections connections, ConninfoSecrets secrets, ChannelReconciler channels,
                        Set<String> leavingNodes, Set<String> lostNodes, boolean allowDataLoss, MoveEvents events) {
        this.allowDataLoss = allowDataLoss;
        this.store = requireNonNull(store, "store is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.leavingNodes = Set.copyOf(leavingNodes);
        this.events = requireNonNull(events, "events is null");
        this.abandon = new MoveAbandon(store.moves(), connections, lostNodes);
    }

    /** Finishes the moves that must go forward; returns one line per move it looked at. */
    public List<String> finish() throws SQLException {
        refuseDataLossUnlessAllowed();
        List<String> lines = new ArrayList<>(abandonLost());
        String planId = "recover-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        for (MoveRecord move : store.moves().inFlight()) {
            ClusterState state = store.readState();
            if (abandon.touchesLost(move, state)) {
                lines.add(finishTouchingLost(move, state, planId));
                continue;
            }
            MoveRunner runner = runner();
            if (move.phase() == MovePhase.CLEANUP) {
                runner.cleanUp(MoveContext.of(move, state, state, connections, secrets), MoveTables.of(others(move), state));
                lines.add("finished the cleanup of the move of " + move.describe());
                continue;
            }
            MoveContext context = MoveContext.of(move, state, StateProjection.apply(state, MoveRunner.stepOf(move)), connections, secrets);
            boolean cutOver = move.phase().pastCutover() || (move.phase() == MovePhase.CUTOVER && MoveCutover.committed(context));
            if (!cutOver) {
                lines.add("the move of " + move.describe() + " is in flight (phase " + move.phase().text()
                        + ", not cut over): apply resumes it, or rolls it back when the spec no longer plans it");
            } else if (move.verification().orElse(null) == MoveRecord.Verification.MISMATCH) {
                lines.add("the move of " + move.describe() + " is stopped on a verification mismatch and left as it is: "
                        + move.verificationDetail().orElse(""));
            } else {
                StepRun run = store.journal().startStep(planId, move.stepId(), MoveRunner.stepOf(move).describe() + " (finished by recover)");
                try {
                    runner.forward(context.withMove(move.phase().compareTo(MovePhase.VERIFY) < 0 ? store.moves().setPhase(move, MovePhase.VERIFY) : move),
                            run, 1, 1);
                } catch (SQLException | RuntimeException failure) {
                    store.journal().failStep(run, failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage()));
                    throw failure;
                }
                lines.add("finished the move of " + move.describe() + " (its cutover had committed)");
            }
        }
        return lines;
    }

    /**
     * A move past its cutover that touches a lost node: with its destination lost it is finished on the live nodes
     * ({@link LostDestinationMove}); with only its source lost it goes forward without it ({@link LostSourceMove}),
     * also from phase cutover when its destination is the newest copy ({@link #lostSourceCutover}); otherwise (both
     * lost before the metadata commit, or a destination that cannot say) it is left in flight and named.
     */
    private String finishTouchingLost(MoveRecord move, ClusterState state, String planId) throws SQLException {
        LostDestinationMove lostDestination = new LostDestinationMove(store.moves(), node -> abandon.lost(state, node));
        if (abandon.lost(state, move.toNode()) && move.phase() == MovePhase.CLEANUP) {
            return lostDestination.finishCommitted(MoveContext.of(move, state, state, connections, secrets), MoveTables.of(others(move), state));
        }
        if (abandon.lost(state, move.toNode()) && !abandon.lost(state, move.fromNode())) {
            MoveContext context = MoveContext.of(move, state, StateProjection.apply(state, MoveRunner.stepOf(move)), connections, secrets);
            if (lostDestination.rollsForward(context)) {
                return rollForward(context, lostDestination, state, planId);
            }
            if (!allowDataLoss && lostDestination.needsTakeBack(context)) {
                throw LostDestinationMove.refusal(context);
            }
            return lostDestination.takeBack(context);
        }
        boolean destinationNewest = destinationNewest(move, state);
        if (abandon.lost(state, move.toNode()) || (!move.phase().pastCutover() && !destinationNewest)) {
            return "the move of " + move.describe() + " (phase " + move.phase().text() + ") touches a lost node after its cutover may have "
                    + "committed: left in flight (neither copy can be proven the newest); investigate " + move.toNode() + " by hand";
        }
        // in cleanup the metadata already names the destination: the state is the one after the move
        ClusterState after = move.phase() == MovePhase.CLEANUP ? state : StateProjection.apply(state, MoveRunner.stepOf(move));
        MoveContext context = MoveContext.of(destinationNewest ? store.moves().setPhase(move, MovePhase.VERIFY) : move, state, after,
                connections, secrets);
        StepRun run = store.journal().startStep(planId, move.stepId(), MoveRunner.stepOf(move).describe() + " (finished by recover without its lost source)");
        try {
            return new LostSourceMove(store, node -> abandon.lost(state, node)).finish(context, run, MoveTables.of(others(move), state));
        } catch (SQLException | RuntimeException failure) {
            store.journal().failStep(run, failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage()));
            throw failure;
        }
    }

    /**
     * Commits the unit on its lost destination (its replicas followed it from the fence: they hold its writes) and
     * finishes the move on the live source, which keeps its retired copy; the destination's failover follows.
     */
    private String rollForward(MoveContext context, LostDestinationMove lostDestination, ClusterState state, String planId) throws SQLException {
        MoveRecord move = context.move();
        StepRun run = store.journal().startStep(planId, move.stepId(), MoveRunner.stepOf(move).describe()
                + " (finished by recover: its lost destination's replicas hold its writes)");
        try {
            if (move.verification().isEmpty()) {
                move = store.moves().recordVerification(move, MoveRecord.Verification.LOST, "the destination " + move.toNode()
                        + " was lost after the cutover, before the verification; the source keeps its retired copy (the rows up to the cutover)");
            }
            store.commitMove(run, context.before(), context.after(), move);
        } catch (RuntimeException failure) {
            store.journal().failStep(run, failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage()));
            throw failure;
        }
        MoveRecord committed = store.moves().get(move.id());
        return "the replicas of " + move.describe() + " followed " + move.toNode() + " from the cutover: the metadata now names "
                + move.toNode() + " and its failover promotes one of them; " + lostDestination.finishCommitted(
                MoveContext.of(committed, context.after(), context.after(), connections, secrets), MoveTables.of(others(move), state));
    }

    /** Refuses, before anything changes, when a move's lost destination holds writes that only {@code --allow-data-loss} may give up. */
    public void refuseDataLossUnlessAllowed() throws SQLException {
        if (allowDataLoss) {
            return;
        }
        ClusterState state = store.readState();
        LostDestinationMove lostDestination = new LostDestinationMove(store.moves(), node -> abandon.lost(state, node));
        for (MoveRecord move : store.moves().inFlight()) {
            // phases cutover to commit: the metadata still names the source (from cleanup on, it names the destination)
            if (abandon.lost(state, move.toNode()) && move.phase().compareTo(MovePhase.CUTOVER) >= 0 && move.phase().compareTo(MovePhase.COMMIT) <= 0) {
                MoveContext context = MoveContext.of(move, state, StateProjection.apply(state, MoveRunner.stepOf(move)), connections, secrets);
                if (lostDestination.needsTakeBack(context)) {
                    throw LostDestinationMove.refusal(context);
                }
            }
        }
    }

    /** Abandons the moves (not cut over) whose source or destination is lost, without connecting to it ({@link MoveAbandon}). */
    private List<String> abandonLost() throws SQLException {
        List<String> lines = new ArrayList<>();
        ClusterState state = store.readState();
        for (MoveRecord move : store.moves().inFlight()) {
            if (!abandon.touchesLost(move, state)) {
                continue;
            }
            MoveContext context = MoveContext.of(move, state, state, connections, secrets);
            if (notCutOver(move, state, context)) {
                lines.add(abandon.abandon(move, state, context.tables().stream().map(context::partition).toList()));
            }
        }
        return lines;
    }

    /** Whether the spec marks {@code node} lost (the metadata may not say so yet: apply's failover does). */
    public boolean markedLost(String node) {
        return abandon.lost(ClusterState.empty(), node);
    }

    /**
     * What {@link #finish} would do, read-only: a line per move it would take forward or clean up, and the state once it has
     * (the metadata of the moves taken forward committed, one serial each).
     *
     * @param lines each a sentence starting with a verb, for the plan's "interrupted work" section
     */
    public record FinishPreview(List<String> lines, ClusterState stateAfter) {
        public FinishPreview {
            lines = List.copyOf(lines);
            requireNonNull(stateAfter, "stateAfter is null");
        }
    }

    /** Read-only {@link #finish}: reads each move's phase and, at phase cutover, whether the source committed it. */
    public FinishPreview previewFinish() throws SQLException {
        ClusterState state = store.readState();
        ClusterState after = state;
        List<String> lines = new ArrayList<>();
        for (MoveRecord move : store.moves().inFlight()) {
            if (abandon.touchesLost(move, state)) {
                lines.add(previewTouchingLost(move, state));
                // finished without its lost source: the metadata moves to the destination, unless it already did (cleanup)
                if ((move.phase().pastCutover() || destinationNewest(move, state)) && move.phase() != MovePhase.CLEANUP
                        && (!abandon.lost(state, move.toNode()) || rollsForward(move, state))) {
                    after = StateProjection.apply(after, MoveRunner.stepOf(move));
                }
                continue;
            }
            if (move.phase() == MovePhase.CLEANUP) {
                lines.add("finish the cleanup of the move of " + move.describe() + " (its metadata is committed)");
                continue;
            }
            boolean cutOver = move.phase().pastCutover()
                    || (move.phase() == MovePhase.CUTOVER && MoveCutover.committed(MoveContext.of(move, state, state, connections, secrets)));
            if (cutOver && move.verification().orElse(null) != MoveRecord.Verification.MISMATCH) {
                lines.add("finish the move of " + move.describe() + " (phase " + move.phase().text() + ", its cutover committed on "
                        + move.fromNode() + "): switch the remaining nodes, commit the metadata, drop its replication channel");
                after = StateProjection.apply(after, MoveRunner.stepOf(move));
            }
        }
        return new FinishPreview(lines, after);
    }

    /** What {@link #finish} does about a move touching a lost node, read-only (as {@link #abandonLost} and {@link #finishTouchingLost}). */
    private String previewTouchingLost(MoveRecord move, ClusterState state) throws SQLException {
        if (notCutOver(move, state, MoveContext.of(move, state, state, connections, secrets))) {
            return "abandon the move of " + move.describe() + " (phase " + move.phase().text() + ", a node is lost): drop its objects on the live nodes";
        }
        if (abandon.lost(state, move.toNode()) && move.phase() == MovePhase.CLEANUP) {
            return "finish the move of " + move.describe() + " without its lost destination " + move.toNode() + " (its metadata is committed): drop "
                    + "its channel on " + move.fromNode() + ", which keeps its retired copy; " + move.toNode() + " then fails over";
        }
        if (abandon.lost(state, move.toNode()) && !abandon.lost(state, move.fromNode())) {
            MoveContext context = MoveContext.of(move, state, StateProjection.apply(state, MoveRunner.stepOf(move)), connections, secrets);
            if (new LostDestinationMove(store.moves(), node -> abandon.lost(state, node)).rollsForward(context)) {
                return "finish the move of " + move.describe() + " (phase " + move.phase().text() + ", its destination lost): its replicas "
                        + "followed " + move.toNode() + " from the cutover; commit the unit on " + move.toNode() + ", which then fails over; "
                        + move.fromNode() + " keeps its retired copy";
            }
            return "take the copy of the move of " + move.describe() + " (phase " + move.phase().text() + ", its destination lost) back on "
                    + move.fromNode() + " as of the cutover: DATA LOSS of the writes since the cutover (only with --allow-data-loss)";
        }
        if (abandon.lost(state, move.toNode()) || (!move.phase().pastCutover() && !destinationNewest(move, state))) {
            return "leave the move of " + move.describe() + " (phase " + move.phase().text() + ") in flight: it touches a lost node after its "
                    + "cutover may have committed";
        }
        return "finish the move of " + move.describe() + " without its lost source " + move.fromNode() + " (the retired copy is gone with it)";
    }

    private boolean rollsForward(MoveRecord move, ClusterState state) throws SQLException {
        return !abandon.lost(state, move.fromNode()) && new LostDestinationMove(store.moves(), node -> abandon.lost(state, node)).rollsForward(
                MoveContext.of(move, state, StateProjection.apply(state, MoveRunner.stepOf(move)), connections, secrets));
    }

    /**
     * A move that had not cut over. The cutover's own commit is checked on a live source; for a lost source, its live
     * destination says whether any fence got as far as the handover (before it, the cutover cannot have committed).
     */
    private boolean notCutOver(MoveRecord move, ClusterState state, MoveContext context) throws SQLException {
        if (move.phase() != MovePhase.CUTOVER) {
            return move.phase().compareTo(MovePhase.CUTOVER) < 0;
        }
        if (!abandon.lost(state, move.fromNode())) {
            return !MoveCutover.committed(context);
        }
        return lostSourceCutover(move, state) == LostSourceCutover.ABANDON;
    }

    /** What a move in phase cutover whose source is lost comes to, read on its live destination and replica holders. */
    private enum LostSourceCutover { ABANDON, DESTINATION_NEWEST, UNKNOWN }

    /**
     * Only the lost source knew whether its cutover committed. No fence got as far as the handover
     * ({@link dev.shardman.applier.replication.ReplicaHandover#fenceReached} false): it did not, the move is abandoned and
     * the failover promotes a replica. A fence got that far and every replica holder followed the destination: the
     * replicas hold every acknowledged write either way (the source's up to its death, the destination's since a
     * committed cutover), so the move is abandoned too. Otherwise the destination's copy, complete up to the fence, is
     * the newest there is: the move goes forward on it (a write the source took after a fence that rolled back, between
     * the applier's death and its own, is lost with it).
     */
    private LostSourceCutover lostSourceCutover(MoveRecord move, ClusterState state) throws SQLException {
        if (move.phase() != MovePhase.CUTOVER || !abandon.lost(state, move.fromNode()) || abandon.lost(state, move.toNode())) {
            return LostSourceCutover.UNKNOWN;
        }
        MoveContext context = MoveContext.of(move, state, StateProjection.apply(state, MoveRunner.stepOf(move)), connections, secrets);
        ReplicaHandover handover = MoveCutover.handover(context);
        Optional<Boolean> reached = handover.fenceReached();
        if (reached.isEmpty()) {
            return LostSourceCutover.UNKNOWN;
        }
        return !reached.get() || handover.followedByEveryHolder() ? LostSourceCutover.ABANDON : LostSourceCutover.DESTINATION_NEWEST;
    }

    private boolean destinationNewest(MoveRecord move, ClusterState state) throws SQLException {
        return lostSourceCutover(move, state) == LostSourceCutover.DESTINATION_NEWEST;
    }

    /** What {@link #rollBackUnplanned} would roll back for {@code plan}, read-only; one line each. */
    public List<String> previewRollBacks(Plan plan) {
        Set<String> planned = plan.steps().stream().map(PlannedStep::step).filter(MovePrimary.class::isInstance).map(MovePrimary.class::cast)
                .map(step -> key(step.id().value(), step.from(), step.to())).collect(Collectors.toSet());
        ClusterState state = store.readState();
        return store.moves().inFlight().stream()
                .filter(move -> !abandon.touchesLost(move, state))
                .filter(move -> !move.phase().pastCutover() && !planned.contains(key(move.stepId(), move.fromNode(), move.toNode())))
                .map(move -> "roll back the move of " + move.describe() + " (phase " + move.phase().text() + "): the plan no longer holds it")
                .toList();
    }

    /** Rolls back the moves in flight that had not cut over and that {@code plan} does not hold any more; one line each. */
    public List<String> rollBackUnplanned(Plan plan) throws SQLException {
        Set<String> planned = plan.steps().stream().map(PlannedStep::step).filter(MovePrimary.class::isInstance).map(MovePrimary.class::cast)
                .map(step -> key(step.id().value(), step.from(), step.to())).collect(Collectors.toSet());
        List<String> lines = new ArrayList<>();
        ClusterState state = store.readState();
        for (MoveRecord move : store.moves().inFlight()) {
            if (abandon.touchesLost(move, state)) {
                continue; // abandoned by finish, or left there and named: never connect to a lost node
            }
            if (!move.phase().pastCutover() && !planned.contains(key(move.stepId(), move.fromNode(), move.toNode()))) {
                rollBack(move, state);
                lines.add("rolled back the move of " + move.describe() + " (phase " + move.phase().text() + "): the plan no longer holds it");
            }
        }
        return lines;
    }

    /** Rolls back a move that had not cut over (refused when its cutover committed on the source after all). */
    void rollBack(MoveRecord move, ClusterState state) throws SQLException {
        NodeState source = node(state, move.fromNode());
        NodeState destination = node(state, move.toNode());
        MoveContext context = MoveContext.of(move, state, state, connections, secrets);
        if (MoveCutover.committed(context)) {
            throw new ShardmanException(ErrorCode.REFUSED, "the move of " + move.describe() + " cut over on " + move.fromNode()
                    + " although its phase says " + move.phase().text(), "run shardman recover: it finishes the move");
        }
        List<TableName> copies = context.tables().stream().map(context::partition).toList();
        MoveCleanup.rollBack(move, source, destination, copies, connections);
        store.moves().finish(move, MovePhase.ROLLED_BACK, false);
    }

    /** Drops the move objects of no move in flight on {@code nodes}; one line each. */
    public List<String> sweepOrphans(ClusterState state, List<NodeState> nodes) throws SQLException {
        Set<String> inFlight = store.moves().inFlight().stream().map(MoveRecord::channelName).collect(Collectors.toSet());
        List<String> lines = new ArrayList<>();
        for (NodeState node : nodes) {
            Connection connection = connections.shared(node);
            Set<String> held = state.partitions().stream().filter(partition -> partition.node().equals(node.name()))
                    .map(PartitionState::name).collect(Collectors.toSet());
            for (MoveLeftovers.Leftover leftover : MoveLeftovers.find(connection, inFlight)) {
                switch (leftover.kind()) {
                    case "subscription" -> ReplicationSql.dropSubscription(connection, leftover.name());
                    case "slot" -> ReplicationSql.dropSlot(connection, leftover.name());
                    case "publication" -> ReplicationSql.execute(connection, "DROP PUBLICATION IF EXISTS " + SqlNames.identifier(leftover.name()));
                    default -> {
                        TableName copy = leftover.table().orElseThrow();
                        if (held.contains(copy.name())) {
                            lines.add(node.name() + ": left " + leftover.describe() + " alone: " + node.name() + " holds that partition");
                            continue;
                        }
                        ReplicationSql.execute(connection, "DROP TABLE IF EXISTS " + SqlNames.qualified(copy));
                    }
                }
                lines.add(node.name() + ": dropped " + leftover.describe());
            }
        }
        return lines;
    }

    /** The partitions (and their foreign partitions) of every move in flight: the reconcilers leave them to the move. */
    public Set<TableName> inFlightTables(ClusterState state) {
        return MoveTables.of(store.moves().inFlight(), state);
    }

    /** The moves in flight other than {@code move}. */
    private List<MoveRecord> others(MoveRecord move) {
        return store.moves().inFlight().stream().filter(other -> other.id() != move.id()).toList();
    }

    private MoveRunner runner() {
        return new MoveRunner(store, connections, secrets, channels, leavingNodes, events);
    }

    private static String key(String stepId, String from, String to) {
        return stepId + " " + from + " " + to;
    }

    private static NodeState node(ClusterState state, String name) {
        return state.node(name).orElseThrow(() -> new ShardmanException(ErrorCode.REFUSED, "the move names node " + name
                + ", which the metadata does not hold", "drop its objects by hand"));
    }
}
