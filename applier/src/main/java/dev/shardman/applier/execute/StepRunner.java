package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.connect.NodeThreads;
import dev.shardman.applier.metadata.CommitNotAcknowledged;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.StepRun;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.LocalPartition;
import dev.shardman.applier.objects.NodeCleanup;
import dev.shardman.applier.objects.NodeObjects;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.ObjectChange;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.ReconcileOptions;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ChannelNodeUnreachable;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.planner.step.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Runs one step through the uniform flow (journal, PREPARE on every affected node, metadata commit with the decision,
 * COMMIT PREPARED, channels), or hands it to its own flow (moves, fenced switches) with the same journaling and
 * failure handling; consecutive plain catalog steps run the uniform flow as one round ({@link StepGroup}). The phases
 * and fault points are described in docs/ARCHITECTURE.md ("Running a step").
 */
final class StepRunner {
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** Where a failure of the metadata commit happened. */
    private static final String SHARDLORD = "the shardlord";

    private final MetadataStore store;
    private final LiveNodes nodes;
    private final ConninfoSecrets secrets;
    private final FaultHook faults;
    private final String planId;
    private final ChannelReconciler channels;
    private final StepServices services;
    private final Function<ClusterState, Set<TableName>> inFlightMoves;
    private final LockBudgets lockBudgets;
    /** A round that failed at a node has its steps run one by one up to this index: as a round again, they would wait on that node again. */
    private int aloneUntil;
    private final StepChecks checks;

    /**
     * @param services what steps with their own flow use (data moves)
     * @param inFlightMoves the partitions of the data moves in flight (read at each step): the uniform flow leaves them alone
     */
    StepRunner(ClusterSession session, String planId, StepServices services, Function<ClusterState, Set<TableName>> inFlightMoves) {
        this.services = requireNonNull(services, "services is null");
        this.inFlightMoves = requireNonNull(inFlightMoves, "inFlightMoves is null");
        this.store = session.store();
        this.nodes = session.nodes();
        this.secrets = session.secrets();
        this.faults = session.faults();
        this.planId = requireNonNull(planId, "planId is null");
        this.channels = session.channels();
        this.lockBudgets = new LockBudgets(nodes::connect);
        this.checks = new StepChecks(nodes);
    }

    /** Runs {@code executor}'s step, the {@code sequence}-th of the plan, from {@code before}; returns the committed state after. */
    ClusterState run(StepExecutor executor, int sequence, ClusterState before) {
        String stepId = executor.step().id().value();
        StepRun run = store.journal().startStep(planId, stepId, executor.describe());
        faults.at(stepId, FaultHook.BEFORE);
        if (executor instanceof OwnFlowExecutor ownFlow) {
            return runOwnFlow(ownFlow, run, before, () -> ownFlow.run(run, before, services));
        }
        if (executor instanceof SwitchExecutor switching && switching.fenced(before)) {
            return runSwitch(switching, run, before);
        }
        Attempt attempt = new Attempt(List.of(executor), List.of(run), sequence, before);
        try {
            prepareAndCommit(attempt);
        } catch (SQLException | RuntimeException failure) {
            throw failed(attempt, failure);
        }
        commitNodes(attempt);
        completeAfterCommit(attempt);
        return attempt.after;
    }

    /**
     * Runs the plain steps from {@code executors}' {@code index}-th on as one round ({@link StepGroup}), from {@code before}; returns
     * the committed round, or empty when they do not group, or when the round failed before its metadata
     * commit: it was rolled back and its journal rows withdrawn, and the steps run one by one (each failure named as always).
     */
    Optional<Round> runGroup(List<StepExecutor> executors, int index, ClusterState before) {
        if (index < aloneUntil) {
            return Optional.empty();
        }
        Optional<StepGroup> grouped = StepGroup.at(executors, index, before, faults::armedFor, checks, lockBudgets);
        if (grouped.isEmpty()) {
            return Optional.empty();
        }
        StepGroup group = grouped.get();
        List<StepRun> runs = store.journal().startSteps(planId, group.stepIds(),
                group.executors().stream().map(StepExecutor::describe).toList());
        Attempt attempt = new Attempt(group.executors(), runs, index + 1, before);
        attempt.afters = group.afters();
        attempt.after = group.last();
        attempt.atCommit = group.last();
        try {
            prepareAndCommit(attempt);
        } catch (SQLException | RuntimeException failure) {
            if (attempt.where.isEmpty() || attempt.where.equals(SHARDLORD)) {
                throw failed(attempt, failure); // the shardlord failed (or the lock was lost): one by one would fail the same way
            }
            rollBack(attempt.prepared);
            withdraw(runs);
            aloneUntil = index + group.executors().size();
            services.progressLines().accept("the round of " + group.describe() + " failed (" + reason(failure, attempt.executor(), before,
                    attempt.where) + "): rolled back, its steps run one by one");
            return Optional.empty();
        }
        try {
            commitNodes(attempt);
        } catch (RuntimeException unfinished) {
            return Optional.of(new Round(group.afters(), Optional.of(unfinished)));
        }
        return Optional.of(new Round(group.afters(), Optional.empty()));
    }

    /**
     * A group's round whose metadata committed: the state after each of its steps, and the failure of COMMIT PREPARED
     * on some node if any (recover completes it): then its last step is the one apply names as failed.
     */
    record Round(List<ClusterState> afters, Optional<RuntimeException> unfinished) {
    }

    /** Everything up to the metadata commit with the decision. */
    private void prepareAndCommit(Attempt attempt) throws SQLException {
        prepareNodes(attempt);
        attempt.stepIds().forEach(stepId -> faults.at(stepId, FaultHook.ROUND_PREPARED));
        attempt.where = SHARDLORD;
        commitMetadata(attempt);
    }

    /** After the metadata commit: COMMIT PREPARED on the nodes, then their decisions are forgotten. */
    private void commitNodes(Attempt attempt) {
        attempt.stepIds().forEach(stepId -> faults.at(stepId, FaultHook.ROUND_COMMITTED));
        commitPrepared(attempt.prepared);
        forgetDecisions(attempt.prepared);
        faults.at(attempt.stepId(), FaultHook.AFTER_COMMIT);
    }

    /**
     * One round of the uniform flow, for one step or a {@link StepGroup}: the states it works between, the nodes it
     * prepared, and where it is (what a failure names). A group's steps are all plain, so its first step answers for
     * all of them the questions the flow asks an executor (data copy, failover, a leaving node, data loss: none).
     */
    private static final class Attempt {
        final List<StepExecutor> executors;
        final List<StepRun> runs;
        final int sequence;
        final ClusterState before;
        final Map<NodeState, String> prepared = new LinkedHashMap<>();
        ClusterState after;
        ClusterState atCommit;
        List<ClusterState> afters;
        String where = "";
        /** The node work runs in rounds of short, watched lock waits (a failover from the start, any other step after a lock wait). */
        boolean inRounds;

        Attempt(List<StepExecutor> executors, List<StepRun> runs, int sequence, ClusterState before) {
            this.executors = List.copyOf(executors);
            this.runs = List.copyOf(runs);
            this.sequence = sequence;
            this.before = before;
        }

        StepExecutor executor() {
            return executors.get(0);
        }

        String stepId() {
            return executor().step().id().value();
        }

        List<String> stepIds() {
            return executors.stream().map(executor -> executor.step().id().value()).toList();
        }

        /** The state after each step (one step: its state after). */
        List<ClusterState> afters() {
            return afters == null ? List.of(after) : afters;
        }

        /** The nodes the round's steps name (visited even when their objects do not change). */
        List<String> namedNodes() {
            return executors.stream().flatMap(executor -> executor.step().nodes().stream()).distinct().toList();
        }

        /** The round's part of its gids: the step's sequence, or a group's first and last ({@code 4-15}), never one step's. */
        String gidSequence() {
            return executors.size() == 1 ? Integer.toString(sequence) : sequence + "-" + (sequence + executors.size() - 1);
        }
    }

    /** Everything before the metadata commit: check, data copy, channel shrink, then every affected node PREPAREd. */
    private void prepareNodes(Attempt attempt) throws SQLException {
        StepExecutor executor = attempt.executor();
        if (attempt.after == null) { // a group's states are known (StepGroup), and it copies nothing
            attempt.after = checks.after(executor, attempt.before);
            attempt.atCommit = executor.stateAtCommit(attempt.before, attempt.after);
            attempt.where = "the data copy";
            executor.copyData(attempt.before, attempt.after, new StepTools(nodes, channels, secrets, services.progressLines()));
            faults.at(attempt.stepId(), FaultHook.AFTER_COPY);
        }
        shrinkChannels(attempt);
        Map<NodeState, Connection> connections = new LinkedHashMap<>();
        for (NodeState node : affectedNodes(attempt.namedNodes(), attempt.before, attempt.atCommit).values()) {
            attempt.where = node.name();
            connections.put(node, nodes.connect(node));
        }
        attempt.where = "";
        faults.at(attempt.stepId(), FaultHook.BEFORE_NODE_WORK);
        Set<TableName> excluded = inFlightMoves.apply(attempt.before);
        Optional<NodeFailure> failed = executor.failover() ? lockWaitRounds(attempt, connections, excluded) : prepareAll(attempt, connections, excluded);
        if (failed.isPresent() && LockWaitRetry.isLockWait(failed.get().failure()) && attempt.executors.size() == 1 && !attempt.inRounds) {
            // busy clients (e.g. a writer holding the parent while it waits, through postgres_fdw, on a lock this step's work
            // holds on another node): everything rolls back, and the work is tried again in rounds of short waits
            rollBack(attempt.prepared);
            attempt.prepared.clear();
            services.progressLines().accept(attempt.executor().describe() + ": " + failed.get().node() + " ran out of lock wait; the step's"
                    + " node work was rolled back and is tried again with short lock waits");
            failed = lockWaitRounds(attempt, connections, excluded);
        }
        if (failed.isPresent()) {
            attempt.where = failed.get().node();
            failed.get().raise();
        }
        if (!attempt.prepared.isEmpty()) {
            store.journal().markPrepared(attempt.runs);
        }
        faults.at(attempt.stepId(), FaultHook.AFTER_NODE_WORK);
    }

    /** The channels shrink to the state at the commit; the state after wins: a node the step marks lost is not visited (its subscriptions are cut on the others). */
    private void shrinkChannels(Attempt attempt) throws SQLException {
        if (StepChannels.unchanged(attempt.before, attempt.atCommit)) {
            return;
        }
        attempt.where = "the replication channels";
        List<NodeState> known = new ArrayList<>(attempt.atCommit.nodes());
        known.addAll(attempt.before.nodes());
        List<NodeState> visited = StepChannels.onlyNodesDiffer(attempt.before, attempt.atCommit).orElseGet(() ->
                attempt.executor().changesOnlyItsChannels() ? ChannelReconciler.changedEnds(attempt.before, attempt.atCommit) : known);
        try {
            channels.shrink(attempt.atCommit, visited);
        } catch (ChannelNodeUnreachable unreachable) {
            attempt.where = unreachable.node();
            throw unreachable;
        }
        attempt.where = "";
    }

    /** A failure before the metadata commit: the nodes roll back and the journal says why, unless the commit's outcome is unknown. */
    private StepFailedException failed(Attempt attempt, Exception failure) {
        String reason = reason(failure, attempt.executor(), attempt.before, attempt.where);
        // an unknown outcome may be a commit: neither the nodes nor the journal rows may say otherwise
        if (!(failure instanceof CommitNotAcknowledged)) {
            rollBack(attempt.prepared);
            failJournal(attempt.runs.get(0), reason);
            withdraw(attempt.runs.subList(1, attempt.runs.size())); // a group's other steps: not attempted, as apply reports them
        }
        ErrorCode code = failure instanceof ShardmanException known ? known.code() : ErrorCode.NODE_FAILURE;
        // A lock lost in the middle of a run is a failure of this run (1), not "held by another apply" (3).
        return new StepFailedException(attempt.stepId(), attempt.executor().describe(), attempt.where, reason,
                code == ErrorCode.LOCK_HELD ? ErrorCode.NODE_FAILURE : code, failure);
    }

    /** After the commit: the nodes finish at the state after (when the commit's state was an intermediate one) and the channels grow. */
    private void completeAfterCommit(Attempt attempt) {
        StepExecutor executor = attempt.executor();
        try {
            ClusterState onNodes = executor.stateOnNodes(attempt.after);
            if (!attempt.atCommit.equals(onNodes)) {
                finishAfterCommit(executor, attempt.atCommit, onNodes);
            }
            // the same channels: nothing for a pass to grow (StepChannels); nodes that joined or left were visited by the shrink
            boolean nothingToGrow = attempt.after.equals(onNodes) ? StepChannels.sameChannels(attempt.before, onNodes)
                    : StepChannels.unchanged(attempt.before, attempt.after) && StepChannels.unchanged(attempt.before, onNodes);
            if (attempt.atCommit.equals(onNodes) && nothingToGrow) {
                return;
            }
            if (executor.changesOnlyItsChannels()) {
                channels.growChanged(attempt.before, onNodes);
            } else {
                channels.grow(attempt.after);
            }
        } catch (SQLException | RuntimeException failure) {
            String reason = failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage());
            throw new StepFailedException(attempt.stepId(), executor.describe(), "the replication channels",
                    "committed, but its publications/subscriptions are not complete yet: " + reason + " (apply or recover completes them)",
                    ErrorCode.NODE_FAILURE, failure);
        }
    }

    /** A data move whose copy failed ahead of its turn ({@link MovesAhead}): journaled and failed at its turn, as if it failed in it. */
    ClusterState failedAhead(StepExecutor executor, ClusterState before, Exception failure) {
        StepRun run = store.journal().startStep(planId, executor.step().id().value(), executor.describe());
        return runOwnFlow(executor, run, before, () -> {
            if (failure instanceof SQLException sqlFailure) {
                throw sqlFailure;
            }
            throw failure instanceof RuntimeException runtimeFailure ? runtimeFailure : new IllegalStateException(failure);
        });
    }

    /**
     * The metadata commit; when its reply is lost the outcome is read back: committed, it returns; certainly not, it
     * throws a failure that rolls the nodes back; unknown, {@link CommitNotAcknowledged}, which must not.
     */
    private void commitMetadata(Attempt attempt) {
        StepRun last = attempt.runs.get(attempt.runs.size() - 1);
        try {
            store.commitSteps(attempt.runs, attempt.before, attempt.afters(), List.copyOf(attempt.prepared.values()));
            faults.lostReply(attempt.stepId(), FaultHook.LOST_COMMIT_REPLY);
        } catch (CommitNotAcknowledged lostReply) {
            if (!store.stepCommitted(last, attempt.after)) {
                throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord did not commit the step: " + lostReply.summary(),
                        "nothing was committed; run apply again", lostReply);
            }
            services.progressLines().accept("the shardlord's reply to the commit of " + String.join(", ", attempt.stepIds())
                    + " was lost; read back: committed, the nodes commit too");
        }
    }

    /** The nodes committed: their decisions are not needed any more (recover prunes what this misses). */
    private void forgetDecisions(Map<NodeState, String> prepared) {
        if (prepared.isEmpty()) {
            return;
        }
        try {
            store.journal().forgetDecisions(List.copyOf(prepared.values()));
        } catch (RuntimeException kept) {
            // A decision kept too long is harmless: recover prunes it once no node holds its gid.
        }
    }

    /**
     * The part of a step that follows its metadata commit (see {@link StepExecutor#stateAtCommit}): the channels
     * shrink to the committed state (a table leaves a publication only once the slot confirmed it), then each
     * node whose objects differ between the two states is reconciled to the committed state in its own
     * transaction. Recover does the same, in the same order, after a crash here.
     */
    private void finishAfterCommit(StepExecutor executor, ClusterState atCommit, ClusterState after) throws SQLException {
        List<NodeState> known = new ArrayList<>(after.nodes());
        known.addAll(atCommit.nodes());
        channels.shrink(after, executor.changesOnlyItsChannels() ? ChannelReconciler.changedEnds(atCommit, after) : known);
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(after, secrets)).excluding(inFlightMoves.apply(after));
        // only the nodes that change: the step's other nodes were verified at the commit's state, the same on them
        for (NodeState node : affectedNodes(List.of(), atCommit, after).values()) {
            reconciler.reconcile(nodes.connect(node), ExpectedObjects.forNode(after, node.name()), List.of(atCommit, after));
        }
    }

    /** A flow of a step's own until its metadata commit, returning the committed state after. */
    private interface Flow {
        ClusterState run() throws SQLException;
    }

    /** A fenced switch: its own flow until the metadata commit, then the part after it (a failure there: recover completes it). */
    private ClusterState runSwitch(SwitchExecutor executor, StepRun run, ClusterState before) {
        SwitchTools tools = new SwitchTools(store, nodes, channels, secrets, faults, planId, services.progressLines());
        ClusterState after = runOwnFlow(executor, run, before, () -> executor.switchOver(run, before, tools));
        try {
            executor.finish(before, after, tools);
        } catch (SQLException | RuntimeException failure) {
            String reason = failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage());
            throw new StepFailedException(executor.step().id().value(), executor.describe(), "the nodes after the commit",
                    "committed, but not every node follows it yet: " + reason + " (apply or recover completes it)", ErrorCode.NODE_FAILURE, failure);
        }
        return after;
    }

    /** A step with its own flow (a data move, a switch): the same journal start and failure handling, its own node work and commit. */
    private ClusterState runOwnFlow(StepExecutor executor, StepRun run, ClusterState before, Flow flow) {
        try {
            return flow.run();
        } catch (SQLException | RuntimeException failure) {
            String reason = reason(failure, executor, before, "");
            if (!(failure instanceof CommitNotAcknowledged)) {
                failJournal(run, reason);
            }
            ErrorCode code = failure instanceof ShardmanException known ? known.code() : ErrorCode.NODE_FAILURE;
            throw new StepFailedException(executor.step().id().value(), executor.describe(), "", reason,
                    code == ErrorCode.LOCK_HELD ? ErrorCode.NODE_FAILURE : code, failure);
        }
    }

    /** The failure as the step's error says it; a lock wait that ran out adds the node, the objects and who holds their locks. */
    private String reason(Exception failure, StepExecutor executor, ClusterState before, String where) {
        String reason = failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage());
        return LockTimeoutBlockers.isLockTimeout(failure)
                ? reason + " (" + LockTimeoutBlockers.describe(executor.step(), before, where, nodes::openSeparate) + ")" : reason;
    }

    /** A node's work that failed: the first such node by name is the one the step's failure names. */
    record NodeFailure(String node, Exception failure) {
        /** Throws the failure as the step does: SQL and runtime failures as they are, anything else wrapped. */
        void raise() throws SQLException {
            if (failure instanceof SQLException sqlFailure) {
                throw sqlFailure;
            }
            throw failure instanceof RuntimeException runtimeFailure ? runtimeFailure : new IllegalStateException(failure);
        }
    }

    /**
     * Prepares every node at once, each on its own connection (opened beforehand by the command thread: the
     * connections are not shared between threads), and waits for all of them; {@code prepared} receives
     * the gid of every node that PREPAREd, in node-name order, so that a failure rolls back exactly those.
     */
    private Optional<NodeFailure> prepareAll(Attempt attempt, Map<NodeState, Connection> connections, Set<TableName> excluded) {
        if (connections.isEmpty()) {
            return Optional.empty();
        }
        Map<NodeState, String> prepared = attempt.prepared;
        Optional<SourceLocks> sourceLocks = SourceLocks.of(attempt.before, attempt.atCommit, connections.size());
        // a thread for every node: with source locks, no node goes on before every other has taken its own
        try (NodeThreads threads = NodeThreads.oneEach("shardman-step-" + attempt.sequence, connections.size())) {
            Map<NodeState, Future<String>> running = new LinkedHashMap<>();
            connections.forEach((node, connection) -> running.put(node, threads.submit(() -> {
                String gid = NodeReconciler.GID_PREFIX + planId + "_" + attempt.gidSequence() + "_" + node.id();
                Optional<SourceLocks.Ticket> ticket = sourceLocks.map(locks -> locks.ticket(node.name()));
                try {
                    prepare(attempt.executor(), node, connection, attempt.before, attempt.atCommit, gid, excluded, attempt.inRounds, ticket);
                } finally {
                    ticket.ifPresent(SourceLocks.Ticket::pass); // a node that failed holds up no other
                }
                return gid;
            })));
            Optional<NodeFailure> firstFailure = Optional.empty();
            for (Map.Entry<NodeState, Future<String>> entry : running.entrySet()) {
                try {
                    prepared.put(entry.getKey(), awaitUninterruptibly(entry.getValue()));
                } catch (ExecutionException failure) {
                    Exception cause = failure.getCause() instanceof Exception exception ? exception : new RuntimeException(failure.getCause());
                    firstFailure = firstFailure.or(() -> Optional.of(new NodeFailure(entry.getKey().name(), cause)));
                }
            }
            return firstFailure;
        }
    }

    /** The node work in rounds of short lock waits ({@link LockWaitRetry}), each node's attempt watched for who blocks it. */
    private Optional<NodeFailure> lockWaitRounds(Attempt attempt, Map<NodeState, Connection> connections, Set<TableName> excluded) {
        attempt.inRounds = true;
        return services.lockWaits().rounds(attempt.executor().failover() ? "the failover" : "the step", () -> lockWaitRound(attempt, connections,
                excluded));
    }

    /**
     * One round of the node work in rounds: a node whose attempt ran out of lock wait makes the round roll back what the
     * others prepared, so that nothing of it holds a lock while the round waits.
     */
    private Optional<NodeFailure> lockWaitRound(Attempt attempt, Map<NodeState, Connection> connections, Set<TableName> excluded) {
        Optional<NodeFailure> failed = prepareAll(attempt, connections, excluded);
        if (failed.isPresent() && LockWaitRetry.isLockWait(failed.get().failure())) {
            rollBack(attempt.prepared);
            attempt.prepared.clear();
        }
        return failed;
    }

    /** Node work is never abandoned half-way: its outcome decides what to roll back. */
    static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException ignored) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void prepare(StepExecutor executor, NodeState node, Connection connection, ClusterState before, ClusterState after, String gid,
                         Set<TableName> excluded, boolean inRounds, Optional<SourceLocks.Ticket> ticket) throws SQLException {
        if (executor.leavingNode().equals(Optional.of(node.name()))) {
            ticket.ifPresent(SourceLocks.Ticket::pass); // its objects go: no writer comes in there any more
            StepScope scope = StepScope.of(before, after);
            new NodeCleanup().clean(connection, node.name(), List.of(scope.before(), scope.after()), NodeCleanup.DataTables.KEEP_NAMES, LOCK_TIMEOUT,
                    Optional.of(gid));
            return;
        }
        if (inRounds) {
            services.lockWaits().attempt(node.name(), connection, () -> nodes.openSeparate(node),
                    lockTimeout -> reconcile(executor, node, connection, before, after, gid, excluded, lockTimeout, ticket));
        } else {
            reconcile(executor, node, connection, before, after, gid, excluded, LOCK_TIMEOUT, ticket);
        }
    }

    private void reconcile(StepExecutor executor, NodeState node, Connection connection, ClusterState before, ClusterState after, String gid,
                           Set<TableName> excluded, Duration lockTimeout, Optional<SourceLocks.Ticket> ticket) throws SQLException {
        boolean allowDataLoss = executor.allowsDataLoss(node.name());
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(after, secrets),
                new ReconcileOptions(lockTimeout, allowDataLoss)).excluding(excluded);
        StepScope narrowed = StepScope.of(before, after);
        List<ClusterState> scope = List.of(narrowed.before(), narrowed.after());
        NodeObjects expected = ExpectedObjects.forNode(narrowed.after(), node.name());
        if (allowDataLoss && executor.step().requiredPermission().isEmpty()) {
            refuseLocalPartitionDrops(node, reconciler.plannedChanges(connection, expected, scope));
        }
        NodeReconciler ordered = ticket.isEmpty() ? reconciler
                : reconciler.startingWith(transaction -> ticket.get().lockThenAwait(transaction, lockTimeout));
        ordered.prepare(connection, expected, scope, gid);
    }

    private static void refuseLocalPartitionDrops(NodeState node, List<ObjectChange> changes) {
        List<String> partitions = changes.stream().filter(change -> change.observed().orElse(null) instanceof LocalPartition)
                .map(ObjectChange::describe).toList();
        if (!partitions.isEmpty()) {
            throw new ShardmanException(ErrorCode.REFUSED, node.name() + " still holds local partitions: " + String.join("; ", partitions),
                    "shardman never drops user data here; move or drop them by hand, then run apply again");
        }
    }

    /** Live nodes (not lost after the step) whose expected objects change, plus those the step names; by node name. */
    static Map<String, NodeState> affectedNodes(Step step, ClusterState before, ClusterState after) {
        return affectedNodes(step.nodes(), before, after);
    }

    /** Live nodes (not lost after the step) whose expected objects change, plus {@code named}; by node name. */
    private static Map<String, NodeState> affectedNodes(List<String> named, ClusterState before, ClusterState after) {
        Map<String, NodeState> known = new TreeMap<>();
        before.nodes().forEach(node -> known.put(node.name(), node));
        after.nodes().forEach(node -> known.put(node.name(), node));
        TreeSet<String> names = new TreeSet<>();
        StepScope changed = StepScope.of(before, after); // the tables the step leaves alone have the same objects on both sides
        for (String name : known.keySet()) {
            boolean differs = !ExpectedObjects.forNode(changed.before(), name).objects()
                    .equals(ExpectedObjects.forNode(changed.after(), name).objects());
            if (differs || named.contains(name)) {
                names.add(name);
            }
        }
        Map<String, NodeState> result = new TreeMap<>();
        for (String name : names) {
            NodeState node = known.get(name);
            boolean lost = after.node(name).map(NodeState::lost).orElse(node.lost());
            if (!lost) {
                result.put(name, node);
            }
        }
        return result;
    }

    private void rollBack(Map<NodeState, String> prepared) {
        prepared.forEach((node, gid) -> {
            try {
                NodeReconciler.create(PasswordSource.none()).rollbackPrepared(nodes.connect(node), gid);
            } catch (SQLException | RuntimeException ignored) {
                // No decision was recorded: recover rolls it back.
            }
        });
    }

    /** COMMIT PREPARED on every node at once (the decision is already committed); failures are collected, not thrown one by one. */
    private void commitPrepared(Map<NodeState, String> prepared) {
        Map<NodeState, Connection> connections = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        prepared.keySet().forEach(node -> {
            try {
                connections.put(node, nodes.connect(node));
            } catch (RuntimeException failure) {
                failures.add(node.name() + ": " + failure.getMessage());
            }
        });
        if (!connections.isEmpty()) {
            try (NodeThreads threads = new NodeThreads("shardman-commit", connections.size())) {
                Map<NodeState, Future<Void>> running = new LinkedHashMap<>();
                connections.forEach((node, connection) -> running.put(node, threads.submit(() -> {
                    NodeReconciler.create(PasswordSource.none()).commitPrepared(connection, prepared.get(node));
                    return null;
                })));
                running.forEach((node, future) -> {
                    try {
                        awaitUninterruptibly(future);
                    } catch (ExecutionException failure) {
                        failures.add(node.name() + ": " + failure.getCause().getMessage());
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the step is committed in the metadata but COMMIT PREPARED failed on "
                    + String.join("; ", failures), "run shardman recover (or apply) once the nodes are back: it commits them");
        }
    }

    /** Deletes the started rows of steps that did not run after all (a rolled back group); a row left is harmless. */
    private void withdraw(List<StepRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        try {
            store.journal().withdraw(runs);
        } catch (RuntimeException ignored) {
            // The shardlord may be the failure; a started row tells recover nothing (it reads the decisions).
        }
    }

    private void failJournal(StepRun run, String reason) {
        try {
            store.journal().failStep(run, reason);
        } catch (RuntimeException ignored) {
            // The shardlord may be the failure; the started row tells recover nothing more.
        }
    }
}
