package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.NodeConnections;
import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.PlannedStep;
import dev.shardman.planner.Planner;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * {@code apply} and {@code recover} on the live cluster. Apply: connect to the shardlord
 * (ApplicationName {@code shardman-apply}), migrate the metadata, take the cluster lock (LOCK_HELD
 * names the holder), recover, read the state, plan, refuse step kinds this version cannot run (before
 * changing anything), confirm, create the cluster row for a new cluster (random lineage), then run the
 * steps one at a time ({@link StepRunner}). The first failure stops the run: the remaining steps are
 * reported as not attempted, and running apply again finishes the work.
 */
public final class ApplyEngine {
    public static final String APPLICATION_NAME = "shardman-apply";

    private final ConnectionFactory factory;
    private final Map<String, String> environment;
    private final Optional<Duration> initialSyncWait;

    public ApplyEngine(ConnectionFactory factory, Map<String, String> environment) {
        this(factory, environment, Optional.of(DEFAULT_INITIAL_SYNC_WAIT));
    }

    private ApplyEngine(ConnectionFactory factory, Map<String, String> environment, Optional<Duration> initialSyncWait) {
        this.factory = requireNonNull(factory, "factory is null");
        this.environment = Map.copyOf(environment);
        this.initialSyncWait = requireNonNull(initialSyncWait, "initialSyncWait is null");
    }

    /** How long apply waits at the end for new replicas to finish their initial copy (default 1 hour). */
    public static final Duration DEFAULT_INITIAL_SYNC_WAIT = Duration.ofHours(1);

    /** This engine, not waiting for initial syncs ({@code --no-wait}): status shows them. */
    public ApplyEngine withoutInitialSyncWait() {
        return new ApplyEngine(factory, environment, Optional.empty());
    }

    /** A factory for the process environment with ApplicationName {@code shardman-apply}. */
    public static ApplyEngine fromEnvironment() {
        return new ApplyEngine(ConnectionFactory.fromEnvironment(APPLICATION_NAME), System.getenv());
    }

    /**
     * Applies {@code spec} (whole: replicas and shared tables included); with {@code expectation},
     * refuses (STALE_PLAN) unless the live metadata and the fresh plan are what the saved plan promised.
     */
    public ApplyResult apply(ClusterSpec spec, PlanOptions options, Optional<PlanExpectation> expectation, ApplyListener listener) {
        String planId = UUID.randomUUID().toString().replace("-", "");
        try (NodeConnections connections = new NodeConnections(factory, spec.shardlord());
             Connection lockSession = factory.connect(ConnectionTarget.shardlord(spec.shardlord()))) {
            MetadataStore store = MetadataStore.open(connections.shardlord());
            try (ClusterLock lock = ClusterLock.acquire(lockSession, "apply", Optional.of(planId))) {
                LiveNodes nodes = new LiveNodes(connections);
                listener.recovered(new Recovery(store, nodes, environment, specNodes(spec), spec.settings().syncReplication()).recover(true));
                ClusterState state = store.readState();
                expectation.ifPresent(expected -> checkHeader(expected, state));
                Plan plan = Planner.plan(spec, state, options);
                expectation.ifPresent(expected -> checkSteps(expected, plan));
                List<StepExecutor> executors = executors(plan);
                if (plan.isEmpty()) {
                    return new ApplyResult(plan, 0, state, false);
                }
                if (!listener.confirm(plan)) {
                    return new ApplyResult(plan, 0, state, true);
                }
                ClusterState current = state.lineage().isEmpty() ? store.initialize(spec.cluster(), MetadataStore.newLineage()) : state;
                ApplyResult result = run(plan, executors, new StepRunner(store, lock, nodes, environment, planId, spec.settings().syncReplication()), current, listener);
                if (initialSyncWait.isPresent() && result.stepsDone() == executors.size()) {
                    awaitInitialSync(new ChannelReconciler(nodes::connect, environment), result.state(), initialSyncWait.get(), listener);
                }
                return result;
            }
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "run apply again");
        }
    }

    /** Takes the lock and runs {@link Recovery} for the cluster of {@code spec}; returns what was fixed, one line each. */
    public List<String> recover(ClusterSpec spec) {
        String shardlordConninfo = spec.shardlord();
        try (NodeConnections connections = new NodeConnections(factory, shardlordConninfo);
             Connection lockSession = factory.connect(ConnectionTarget.shardlord(shardlordConninfo))) {
            MetadataStore store = MetadataStore.open(connections.shardlord());
            try (ClusterLock ignored = ClusterLock.acquire(lockSession, "recover", Optional.empty())) {
                return new Recovery(store, new LiveNodes(connections), environment, specNodes(spec), spec.settings().syncReplication()).recover();
            }
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "run recover again");
        }
    }

    private static void awaitInitialSync(ChannelReconciler channels, ClusterState state, Duration timeout, ApplyListener listener)
            throws SQLException {
        if (!channels.awaitInitialSync(state, timeout, listener::progress)) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the initial copy of new replicas did not finish within " + timeout,
                    "the steps are committed; watch shardman status, and look at the destination's server log if it does not move");
        }
    }

    private static Map<String, String> specNodes(ClusterSpec spec) {
        return spec.nodes().stream().collect(Collectors.toMap(NodeSpec::name, NodeSpec::superConninfo));
    }

    private static ApplyResult run(Plan plan, List<StepExecutor> executors, StepRunner runner, ClusterState start, ApplyListener listener) {
        ClusterState state = start;
        for (int index = 0; index < executors.size(); index++) {
            StepExecutor executor = executors.get(index);
            long started = System.nanoTime();
            try {
                state = runner.run(executor, index + 1, state);
            } catch (RuntimeException failure) {
                listener.stepFailed(executor.step(), failure instanceof StepFailedException failed ? failed.shortMessage()
                        : failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure));
                for (StepExecutor remaining : executors.subList(index + 1, executors.size())) {
                    listener.notAttempted(remaining.step());
                }
                throw failure;
            }
            listener.stepDone(executor.step(), Duration.ofNanos(System.nanoTime() - started));
            executor.warning().ifPresent(listener::warning);
        }
        return new ApplyResult(plan, executors.size(), state, false);
    }

    /** One executor per step; refuses the whole plan, naming them, when some kinds cannot be run by this version. */
    static List<StepExecutor> executors(Plan plan) {
        List<StepExecutor> executors = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (PlannedStep planned : plan.steps()) {
            StepExecutors.forStep(planned.step()).ifPresentOrElse(executors::add,
                    () -> unsupported.add(planned.id() + " (" + planned.step().describe() + ")"));
        }
        if (!unsupported.isEmpty()) {
            throw new ShardmanException(ErrorCode.REFUSED, "not supported yet by apply: " + String.join("; ", unsupported),
                    "nothing was changed; these step kinds (data movement, recreating a lost partition) come in a later version");
        }
        return executors;
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
    }
}
