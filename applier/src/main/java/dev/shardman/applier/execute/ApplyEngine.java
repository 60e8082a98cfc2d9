package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.connect.NodeConnections;
import dev.shardman.applier.connect.NodeSessions;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.move.MoveRecovery;
import dev.shardman.applier.move.MoveRunner;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.Planner;
import dev.shardman.planner.step.MovePrimary;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * {@code apply} and {@code recover} on the live cluster. Apply opens one session under the cluster lock, resolves the
 * decided prepared transactions (the one change before the question), shows the plan from the state the interrupted
 * work ({@link PendingRecovery}) leads to, then recovers and runs the steps one at a time ({@link StepRunner}; plain
 * catalog steps in a row as one round, {@link StepGroup}; {@link MovesAhead} and {@link ReplicaWaves} under {@code --parallelism}). The first failure stops the run; apply
 * again finishes the work (docs/internals/recovery-and-faults.md, "Apply from start to end").
 */
public final class ApplyEngine {
    public static final String APPLICATION_NAME = "shardman-apply";

    private final ConnectionFactory factory;
    private final ConninfoSecrets secrets;
    private final FaultHook faults;
    private final Optional<Duration> initialSyncWait;
    private final ClientBlockers blockers;
    private final MoveParallelism parallelism;
    /** Where the reads before the question connect from, when the command gives it ({@link #withReviewSessions}). */
    private final Optional<ConnectionFactory> reviewSessions;

    public ApplyEngine(ConnectionFactory factory, ConninfoSecrets secrets, FaultHook faults) {
        this(factory, secrets, faults, Optional.of(DEFAULT_INITIAL_SYNC_WAIT), ClientBlockers.WAITED_FOR, MoveParallelism.ONE_AT_A_TIME, Optional.empty());
    }

    private ApplyEngine(ConnectionFactory factory, ConninfoSecrets secrets, FaultHook faults, Optional<Duration> initialSyncWait,
                        ClientBlockers blockers, MoveParallelism parallelism, Optional<ConnectionFactory> reviewSessions) {
        this.parallelism = requireNonNull(parallelism, "parallelism is null");
        this.reviewSessions = requireNonNull(reviewSessions, "reviewSessions is null");
        this.factory = requireNonNull(factory, "factory is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.faults = requireNonNull(faults, "faults is null");
        this.initialSyncWait = requireNonNull(initialSyncWait, "initialSyncWait is null");
        this.blockers = requireNonNull(blockers, "blockers is null");
    }

    /** How long apply waits at the end for new replicas to finish their initial copy (default 1 hour). */
    public static final Duration DEFAULT_INITIAL_SYNC_WAIT = Duration.ofHours(1);

    /** This engine, not waiting for initial syncs ({@code --no-wait}): status shows them. */
    public ApplyEngine withoutInitialSyncWait() {
        return new ApplyEngine(factory, secrets, faults, Optional.empty(), blockers, parallelism, reviewSessions);
    }

    /** This engine, waiting for or terminating the client sessions that keep a failover from its locks ({@code --lock-wait}, {@code --cancel-blockers}). */
    public ApplyEngine withClientBlockers(ClientBlockers blockers) {
        return new ApplyEngine(factory, secrets, faults, initialSyncWait, blockers, parallelism, reviewSessions);
    }

    /** This engine, running up to {@code parallelism.moves()} primary moves at once ({@code --parallelism}, {@link MovesAhead}). */
    public ApplyEngine withMoveParallelism(MoveParallelism parallelism) {
        return new ApplyEngine(factory, secrets, faults, initialSyncWait, blockers, parallelism, reviewSessions);
    }

    /**
     * This engine, its reads before the question connecting from {@code sessions}: the factory, remembering the nodes it
     * could not reach ({@link ConnectionFactory#rememberingUnreachable}), with which the command checked the spec's column
     * values, so that a hung node costs the whole review one connect timeout. Default: such a factory of its own.
     */
    public ApplyEngine withReviewSessions(ConnectionFactory sessions) {
        return new ApplyEngine(factory, secrets, faults, initialSyncWait, blockers, parallelism, Optional.of(sessions));
    }

    /** A factory for the process environment with ApplicationName {@code shardman-apply}. */
    public static ApplyEngine fromEnvironment() {
        ConnectionFactory factory = ConnectionFactory.fromEnvironment(APPLICATION_NAME);
        return new ApplyEngine(factory, factory.secrets(), FaultHook.fromProcess());
    }

    /**
     * Applies {@code spec} (whole: replicas and shared tables included); with {@code expectation},
     * refuses (STALE_PLAN) unless the live metadata and the fresh plan are what the saved plan promised.
     */
    public ApplyResult apply(ClusterSpec spec, PlanOptions options, Optional<PlanExpectation> expectation, ApplyListener given) {
        // moves copying ahead report from their own threads
        ApplyListener listener = parallelism.moves() > 1 ? new SerializedListener(given) : given;
        String planId = UUID.randomUUID().toString().replace("-", "");
        try (ClusterSession session = ClusterSession.open(factory, spec, secrets, faults, "apply", Optional.of(planId))) {
            // the reads before the question try a node they could not reach once, not once each; the steps try it again
            ConnectionFactory reviewing = reviewSessions.orElseGet(() -> session.sessions().rememberingUnreachable());
            // what recovery says about moves belongs to its report, not to the steps' progress
            List<String> movesRecovered = new ArrayList<>();
            MoveRecovery moves = session.moveRecovery(options.allowDataLoss(), new RecoverMoveEvents(movesRecovered, session.faults()));
            Recovery recovery = session.recovery(moves);
            Review review;
            try (NodeConnections.Scope reads = session.connectingWith(reviewing)) {
                // the one change before the question: decided two-phase transactions hold locks on user tables
                listener.recovered(recovery.resolveDecidedTransactions(true));
                moves.refuseDataLossUnlessAllowed(); // before the question: a refused run changes nothing
                review = review(session, reviewing, options, expectation, moves);
            }
            Plan shown = review.plan();
            PendingRecovery pending = review.pending();
            if (shown.isEmpty() && pending.isEmpty()) {
                pending.items().forEach(item -> listener.warning(item.description()));
                return new ApplyResult(shown, 0, review.live(), false);
            }
            if (!listener.confirm(shown, pending)) {
                return new ApplyResult(shown, 0, review.live(), true);
            }
            MetadataStore store = session.store();
            Optional<Plan> confirmed;
            // recovery's pass skips a node it cannot reach: it tries it once (it may be back since the question), not in every phase
            try (NodeConnections.Scope pass = session.connectingWith(session.sessions().rememberingUnreachable())) {
                // the plan after recovery uses the sizes the shown plan was made with (read once per apply)
                confirmed = finishInterruptedWork(recovery, moves, movesRecovered, listener, shown, expectation.isPresent(),
                        store::readState, recovered -> Planner.plan(spec, recovered.withPartitionBytes(review.partitionBytes()), options));
            }
            if (confirmed.isEmpty()) {
                return new ApplyResult(shown, 0, store.readState(), true);
            }
            return runPlan(session, confirmed.get(), planId, listener, moves);
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "run apply again");
        }
    }

    /** The confirmed plan's steps, one at a time (moves ahead in waves under {@code --parallelism}), then the wait for new replicas' initial copy. */
    private ApplyResult runPlan(ClusterSession session, Plan plan, String planId, ApplyListener listener, MoveRecovery moves) throws SQLException {
        List<StepExecutor> executors = executors(plan);
        MetadataStore store = session.store();
        ClusterState state = store.readState();
        ClusterState current = state.lineage().isEmpty() ? store.initialize(session.spec().cluster(), MetadataStore.newLineage()) : state;
        MoveRunner mover = session.moveRunner(new ListenerMoveEvents(listener, session.faults()));
        StepRunner runner = new StepRunner(session, planId,
                new StepServices(mover, listener::progress, new LockWaitRetry(blockers, listener::warning)), InFlightMoves.forRun(plan, store, moves));
        store.journal().startRun(planId, executors.size()); // status counts the run's steps against it
        MovesAhead ahead = parallelism.moves() == 1 ? MovesAhead.none()
                : new MovesAhead(new MoveSchedule(plan.steps(), parallelism.moves(), parallelism.perNode()), parallelism.moves(), executors,
                mover, planId, session::aheadSessions);
        ReplicaWaves replicaWaves = parallelism.moves() == 1 ? ReplicaWaves.none(executors)
                : new ReplicaWaves(executors, parallelism.moves(), parallelism.perNode(),
                new StepTools(session.nodes(), session.channels(), session.secrets(), listener::progress));
        ApplyResult result = run(plan, executors, runner, current, listener, new Waves(ahead, replicaWaves));
        if (initialSyncWait.isPresent() && result.stepsDone() == executors.size()) {
            awaitInitialSync(session.channels(), result.state(), initialSyncWait.get(), listener);
        }
        return result;
    }

    /** What apply shows before its question: the live metadata, the interrupted work and the plan from the state it leads to. */
    private record Review(ClusterState live, PendingRecovery pending, Plan plan, PartitionBytes partitionBytes) {
    }

    /**
     * Read-only: the interrupted work and the plan; a saved plan is checked here (serial and lineage against the live
     * metadata, step ids against this plan), before anything but the decided prepared transactions has changed.
     */
    private Review review(ClusterSession session, ConnectionFactory sessions, PlanOptions options, Optional<PlanExpectation> expectation,
                          MoveRecovery moves) {
        ClusterState live = session.store().readState();
        expectation.ifPresent(expected -> checkHeader(expected, live));
        ClusterSpec spec = session.spec();
        GrantRoles.requireRoles(sessions, spec);
        PendingRecovery pending = new PendingRecoveryReader(session.store(), moves, session.nodes()::connect, session.secrets()).read(live);
        ClusterState planned = LivePartitionBytes.attach(sessions, spec, pending.stateAfter());
        Plan plan;
        try (NodeSessions nodeSessions = session.specNodeSessions()) { // this command's sessions: the steps use them next
            plan = PlanPreflight.check(nodeSessions, pending.stateAfter(), Planner.plan(spec, planned, options));
        }
        expectation.ifPresent(expected -> checkSteps(expected, plan));
        executors(plan); // a step without an executor fails here, before anything changed
        return new Review(live, pending.withRollBacks(moves.previewRollBacks(plan)), plan, planned.partitionBytes());
    }

    /**
     * After the confirmation: the rest of recovery, then the plan again from the state it left. When recovery could not
     * finish everything the plan assumed (a node it needed is down: a lost node's failover is a step of the plan), the
     * new plan is shown and confirmed again; a saved plan is stale then (STALE_PLAN). Then the moves the plan no longer
     * holds are rolled back. Empty when the new plan was declined.
     */
    private static Optional<Plan> finishInterruptedWork(Recovery recovery, MoveRecovery moves, List<String> movesRecovered, ApplyListener listener,
                                                        Plan confirmed, boolean savedPlan, Supplier<ClusterState> readState,
                                                        Function<ClusterState, Plan> replan) throws SQLException {
        List<String> recovered = new ArrayList<>(recovery.recover(true));
        recovered.addAll(movesRecovered);
        listener.recovered(recovered);
        ClusterState state = readState.get();
        Plan plan = replan.apply(state);
        List<String> fresh = plan.steps().stream().map(step -> step.id().value()).toList();
        if (!fresh.equals(confirmed.steps().stream().map(step -> step.id().value()).toList())) {
            if (savedPlan) {
                throw new ShardmanException(ErrorCode.STALE_PLAN, "the interrupted work did not leave the cluster as the saved plan assumed:"
                        + " planning again gives other steps (" + String.join(", ", fresh) + ")", "run plan again and review the new plan");
            }
            listener.warning("the interrupted work was not all finished (see above): the plan changed, review it again");
            if (!listener.confirm(plan, PendingRecovery.none(state))) {
                return Optional.empty();
            }
        }
        List<String> rolledBack = moves.rollBackUnplanned(plan);
        if (!rolledBack.isEmpty()) {
            listener.recovered(rolledBack);
        }
        return Optional.of(plan);
    }

    /** Takes the lock and runs {@link Recovery} for the cluster of {@code spec}; returns what was fixed, one line each. */
    public List<String> recover(ClusterSpec spec) {
        return recover(spec, Optional.empty(), Optional.empty());
    }

    /**
     * As {@link #recover(ClusterSpec)}; with {@code acceptMismatch} (a step id or partition), first accepts the
     * verification mismatch that stopped that move, under the lock, so that this recovery finishes it (keeping the
     * retired copy on its source). With {@code acceptServer} (a node's name), first records the system identifier of
     * the server that now answers for that node ({@link NodeIdentity}: the operator vouches that it holds the node's data).
     */
    public List<String> recover(ClusterSpec spec, Optional<String> acceptMismatch, Optional<String> acceptServer) {
        try (ClusterSession session = ClusterSession.open(factory, spec, secrets, faults, "recover", Optional.empty())) {
            MetadataStore store = session.store();
            List<String> lines = new ArrayList<>();
            if (acceptServer.isPresent()) {
                lines.add(acceptServer(store, session.nodes(), acceptServer.get()));
            }
            acceptMismatch.ifPresent(name -> lines.add("accepted the verification mismatch of "
                    + store.moves().acceptMismatch(name).describe() + "; its move is finished now, the retired copy is kept"));
            MoveRecovery moves = session.moveRecovery(false, new RecoverMoveEvents(lines, session.faults()));
            List<String> fixed = new ArrayList<>(session.recovery(moves).recover());
            fixed.addAll(rollBackUnplannedMoves(spec, store, moves, session.sessions()));
            fixed.addAll(lines);
            return List.copyOf(fixed);
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "run recover again");
        }
    }

    /** What recover cannot repair and its caller must still hear of: the connections between live nodes that do not work. */
    public List<String> unusablePeers(ClusterSpec spec) {
        return NodeDriftReads.unusablePeers(factory.withNodeTimeout(spec.settings().nodeTimeout()),
                LiveMetadata.read(factory, spec.cluster(), spec.shardlord()).state());
    }

    private static String acceptServer(MetadataStore store, LiveNodes nodes, String name) throws SQLException {
        NodeState node = store.readState().node(name).filter(registered -> !registered.lost())
                .orElseThrow(() -> new ShardmanException(ErrorCode.INVALID_INPUT, name + " is not a live registered node; nothing was changed",
                        "name a node of the metadata that is not lost"));
        String live = NodeIdentity.read(nodes.connect(node));
        Optional<String> before = store.recordSystemIdentifier(name, live);
        return name + ": accepted the server with system identifier " + live + (before.map(recorded -> " (the metadata had " + recorded + ")")
                .orElse("")) + " as " + name + "; it is repaired to the metadata like any node";
    }

    /**
     * The monitor's share of recovery: under the cluster lock, the shardman-prepared transactions are resolved as
     * apply's first pass resolves them ({@link Recovery#resolveDecidedTransactions}); nodes that do not answer are
     * skipped. Throws LOCK_HELD at once while an apply or recover runs (which resolves them itself).
     */
    public List<String> resolveDecidedTransactions(ClusterSpec spec) {
        try (ClusterSession session = ClusterSession.open(factory, spec, secrets, faults, "monitor", Optional.empty())) {
            MoveRecovery moves = session.moveRecovery(false, new RecoverMoveEvents(new ArrayList<>(), session.faults()));
            return session.recovery(moves).resolveDecidedTransactions(true);
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "");
        }
    }

    /**
     * recover: the moves that had not cut over and that the spec no longer plans are rolled back; when the spec cannot
     * be planned they are left in flight (and said so).
     */
    private static List<String> rollBackUnplannedMoves(ClusterSpec spec, MetadataStore store, MoveRecovery moves, ConnectionFactory sessions)
            throws SQLException {
        Plan plan;
        try {
            // balancing by size: without the sizes no balancing move is planned, and every one in flight would be rolled back
            plan = Planner.plan(spec, LivePartitionBytes.attach(sessions, spec, store.readState()), PlanOptions.DEFAULTS);
        } catch (RuntimeException unplannable) {
            return store.moves().inFlight().isEmpty() ? List.of()
                    : List.of("moves in flight left as they are: the spec cannot be planned (" + unplannable.getMessage() + ")");
        }
        return moves.rollBackUnplanned(plan);
    }

    private static void awaitInitialSync(ChannelReconciler channels, ClusterState state, Duration timeout, ApplyListener listener)
            throws SQLException {
        if (!channels.awaitInitialSync(state, timeout, listener::progress)) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the initial copy of new replicas did not finish within " + timeout,
                    "the steps are committed; watch shardman status, and look at the destination's server log if it does not move");
        }
    }

    /** What runs ahead of its turn under {@code --parallelism}: primary moves' copies, replica moves' new copies. */
    private record Waves(MovesAhead primaries, ReplicaWaves replicas) {
    }

    private static ApplyResult run(Plan plan, List<StepExecutor> executors, StepRunner runner, ClusterState start, ApplyListener listener,
                                   Waves waves) {
        ClusterState state = start;
        MovesAhead ahead = waves.primaries();
        try {
            for (int index = 0; index < executors.size(); index++) {
                StepExecutor executor = executors.get(index);
                long started = System.nanoTime();
                try {
                    Optional<StepRunner.Round> round = runner.runGroup(executors, index, state);
                    if (round.isPresent()) {
                        List<ClusterState> afters = round.get().afters();
                        int committed = afters.size() - (round.get().unfinished().isPresent() ? 1 : 0);
                        reportGroup(executors.subList(index, index + committed), started, listener);
                        index += afters.size() - 1;
                        state = afters.get(afters.size() - 1);
                        if (round.get().unfinished().isPresent()) {
                            throw round.get().unfinished().get();
                        }
                        continue;
                    }
                    ahead.startWave(index, state);
                    waves.replicas().startWave(index, state);
                    Optional<Exception> failedAhead = ahead.await(index);
                    StepExecutor turn = waves.replicas().executor(index);
                    state = failedAhead.isPresent() ? runner.failedAhead(turn, state, failedAhead.get()) : runner.run(turn, index + 1, state);
                } catch (RuntimeException failure) {
                    listener.stepFailed(executors.get(index).step(), failureMessage(failure)); // a round's last step when it ran one
                    reportRemaining(executors, index, ahead.stop(), runner, state, listener);
                    waves.replicas().leftAhead().forEach(listener::progress);
                    throw failure;
                }
                listener.stepDone(executor.step(), Duration.ofNanos(System.nanoTime() - started));
                executor.warning().ifPresent(listener::warning);
            }
        } finally {
            ahead.stop();
        }
        return new ApplyResult(plan, executors.size(), state, false);
    }

    /** The steps of a round that committed together ({@link StepGroup}), each done in order; the round's time is shared out evenly. */
    private static void reportGroup(List<StepExecutor> group, long started, ApplyListener listener) {
        Duration each = Duration.ofNanos(System.nanoTime() - started).dividedBy(group.size());
        for (StepExecutor done : group) {
            listener.stepDone(done.step(), each);
            done.warning().ifPresent(listener::warning);
        }
    }

    private static String failureMessage(RuntimeException failure) {
        return failure instanceof StepFailedException failed ? failed.shortMessage()
                : failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure);
    }

    /**
     * After the step at {@code failedIndex} failed: the steps after it are not attempted, but a move whose copy ahead failed
     * is journaled and named as failed, and one that copied ahead stays in flight (said so: apply resumes it).
     */
    private static void reportRemaining(List<StepExecutor> executors, int failedIndex, List<MovesAhead.Stopped> stopped, StepRunner runner,
                                        ClusterState state, ApplyListener listener) {
        Map<Integer, MovesAhead.Stopped> byIndex = stopped.stream().collect(Collectors.toMap(MovesAhead.Stopped::index, Function.identity()));
        for (int index = failedIndex + 1; index < executors.size(); index++) {
            StepExecutor remaining = executors.get(index);
            MovesAhead.Stopped ahead = byIndex.get(index);
            if (ahead != null && ahead.failure().isPresent()) {
                try {
                    runner.failedAhead(remaining, state, ahead.failure().get());
                } catch (RuntimeException failure) {
                    listener.stepFailed(remaining.step(), failureMessage(failure));
                }
                continue;
            }
            listener.notAttempted(remaining.step());
            if (ahead != null && remaining.step() instanceof MovePrimary move) {
                listener.progress("the move of " + move.unit().describe() + " from " + move.from() + " to " + move.to() + " copied ahead of its turn"
                        + " and stays in flight, not cut over: apply resumes it (recover rolls it back if the spec no longer plans it)");
            }
        }
    }

    /** One executor per step ({@link StepExecutors}; primary moves numbered among the plan's primary moves, for the progress bar). */
    static List<StepExecutor> executors(Plan plan) {
        return StepExecutors.forSteps(plan.steps().stream().map(PlannedStep::step).toList());
    }

    private static void checkHeader(PlanExpectation expected, ClusterState live) {
        boolean fromEmpty = expected.header().lineage().isEmpty() && expected.header().serial() == 0;
        boolean matches = fromEmpty
                ? live.serial() == 0
                : expected.header().lineage().equals(live.lineage()) && expected.header().serial() == live.serial();
        if (!matches) {
            throw new ShardmanException(ErrorCode.STALE_PLAN, "the saved plan is stale: it was made at serial " + expected.header().serial()
                    + (expected.header().lineage().isEmpty() ? " of a new cluster" : " of lineage " + expected.header().lineage())
                    + ", the cluster is now at serial " + live.serial() + (live.lineage().isEmpty() ? "" : " of lineage " + live.lineage()),
                    "run plan again and review the new plan");
        }
    }

    private static void checkSteps(PlanExpectation expected, Plan plan) {
        List<String> fresh = plan.steps().stream().map(step -> step.id().value()).toList();
        if (!fresh.equals(expected.stepIds())) {
            throw new ShardmanException(ErrorCode.STALE_PLAN, "the saved plan is stale: planning its spec again gives other steps ("
                    + fresh.stream().collect(Collectors.joining(", ")) + ")", "run plan again and review the new plan");
        }
        List<String> described = plan.steps().stream().map(step -> step.step().describe()).toList();
        for (int index = 0; index < described.size(); index++) {
            if (!described.get(index).equals(expected.descriptions().get(index))) {
                throw new ShardmanException(ErrorCode.STALE_PLAN, "the saved plan does not match its spec: step " + fresh.get(index)
                        + " says \"" + expected.descriptions().get(index) + "\" in the file, \"" + described.get(index) + "\" planned again",
                        "run plan again and review the new plan");
            }
        }
    }
}
