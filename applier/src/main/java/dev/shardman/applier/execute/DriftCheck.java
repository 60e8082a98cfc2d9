package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.NodeThreads;
import dev.shardman.applier.metadata.AutomaticFailovers;
import dev.shardman.applier.metadata.LockHolder;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.move.MoveTables;
import dev.shardman.applier.objects.DriftCode;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.InspectionResult;
import dev.shardman.applier.objects.NodeInspector;
import dev.shardman.applier.objects.NodeObjects;
import dev.shardman.applier.objects.ObjectChange;
import dev.shardman.applier.objects.ObjectDiff;
import dev.shardman.applier.objects.ParallelInspector;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.replication.ChannelDrift;
import dev.shardman.applier.replication.ExpectedChannels;
import dev.shardman.applier.replication.SubscriptionWorkerProbe;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.diff.NodeDiff;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * drift-check: read-only, no lock. Reports the pending changes (the plan from the live metadata to the spec), node drift
 * (objects, replication channels, lag, synchronous standbys), unusable foreign servers, stopped apply workers,
 * unreachable nodes, prepared transactions and move objects left behind, an old lock holder and the moves in flight.
 * Sessions: one on the shardlord; two per node, opened at once: the object inspection and the other reads
 * ({@link NodeDriftReads}). A node whose inspection does not answer within the socket read timeout is reported
 * unreachable and its other reads are dropped. What each finding means: docs/operations.md, "Drift reasons".
 */
public final class DriftCheck {
    public static final String APPLICATION_NAME = "shardman-drift-check";
    /** Over two restarts of a failed apply worker at the default wal_retrieve_retry_interval (5 s). */
    private static final Duration WORKER_WATCH = Duration.ofSeconds(12);
    /**
     * How long a read waits for a lock: past it the node is reported blocked, with the prepared transactions that may
     * hold the lock, instead of waiting out the node timeout and being taken for a node that does not answer.
     */
    static final Duration READ_LOCK_WAIT = Duration.ofSeconds(5);

    private final ConnectionFactory factory;

    public DriftCheck(ConnectionFactory factory) {
        this.factory = requireNonNull(factory, "factory is null").withLockTimeout(READ_LOCK_WAIT);
    }

    public DriftReport check(ClusterSpec spec, List<String> warnings, Duration lockAgeThreshold) {
        DriftMetadata live = DriftMetadata.read(factory, spec.cluster(), spec.shardlord());
        ClusterState state = live.state();
        List<NodeState> notLost = state.nodes().stream().filter(node -> !node.lost()).toList();
        Set<String> inFlight = live.moves().stream().map(MoveRecord::channelName).collect(Collectors.toSet());
        try (NodeThreads threads = new NodeThreads("shardman-drift-check", notLost.size() + 3)) {
            // the inspection runs on this thread from the start; planning and the expected objects are CPU while the nodes
            // answer; the other reads of each node run beside it, and the apply workers are sampled on their own sessions
            Future<List<DriftReport.Pending>> pending = threads.submit(() -> pending(spec, state));
            Future<Map<String, NodeObjects>> expected = threads.submit(() -> expectedObjects(state));
            Future<List<DriftReport.Drift>> workers = threads.submit(() -> subscriptionWorkers(state, notLost));
            Map<String, Future<NodeDriftReads>> nodeReads = new java.util.TreeMap<>();
            notLost.forEach(node -> nodeReads.put(node.name(), threads.submit(() -> NodeDriftReads.of(factory, state, node, inFlight))));
            Map<String, InspectionResult> inspected = inspect(state, notLost);
            List<DriftReport.Drift> drift = new ArrayList<>();
            List<DriftReport.Unreachable> unreachable = new ArrayList<>();
            compareObjects(NodeThreads.join(expected), inspected, MoveTables.of(live.moves(), state), drift, unreachable);
            List<NodeState> reachable = notLost.stream()
                    .filter(node -> unreachable.stream().noneMatch(gone -> gone.node().equals(node.name()))).toList();
            Map<String, NodeDriftReads> reads = new java.util.TreeMap<>();
            reachable.forEach(node -> reads.put(node.name(), NodeThreads.join(nodeReads.get(node.name()))));
            inspected.values().stream().filter(InspectionResult.Blocked.class::isInstance).map(InspectionResult.Blocked.class::cast)
                    .forEach(blocked -> drift.add(blocked(blocked, reads.get(blocked.node()).pending())));
            drift.addAll(channelDrift(state, reachable, reads));
            drift.addAll(reachable.size() == notLost.size() ? NodeThreads.join(workers) : subscriptionWorkers(state, reachable));
            live.moves().forEach(move -> drift.add(inFlight(move)));
            List<DriftReport.Prepared> prepared = new ArrayList<>();
            reads.values().forEach(node -> {
                drift.addAll(node.drift());
                prepared.addAll(node.prepared());
            });
            Optional<String> oldHolder = live.lockHolder()
                    .filter(holder -> holder.startedAt().isBefore(Instant.now().minus(lockAgeThreshold)))
                    .map(LockHolder::describe);
            return new DriftReport(spec.cluster(), state.lineage(), state.serial(), NodeThreads.join(pending), specEdits(spec, state),
                    foldOtherServers(drift), unreachable, prepared, oldHolder, warnings);
        }
    }

    /**
     * A node that reaches another server is one finding: what the metadata expects of it is missing there as a
     * consequence, and recover repairs none of it until the server is accepted (the count stays in the finding).
     */
    static List<DriftReport.Drift> foldOtherServers(List<DriftReport.Drift> drift) {
        Set<String> replaced = drift.stream().filter(finding -> finding.code() == DriftCode.OTHER_SERVER).map(DriftReport.Drift::node)
                .collect(Collectors.toSet());
        if (replaced.isEmpty()) {
            return drift;
        }
        Map<String, Long> following = drift.stream().filter(finding -> replaced.contains(finding.node()) && finding.code() != DriftCode.OTHER_SERVER)
                .collect(Collectors.groupingBy(DriftReport.Drift::node, Collectors.counting()));
        return drift.stream().filter(finding -> !replaced.contains(finding.node()) || finding.code() == DriftCode.OTHER_SERVER)
                .map(finding -> finding.code() != DriftCode.OTHER_SERVER || !following.containsKey(finding.node()) ? finding
                        : new DriftReport.Drift(finding.node(), finding.object(), finding.code(), finding.problem() + " (" + following.get(finding.node())
                                + " more finding(s) on " + finding.node() + " follow from it and are not listed)"))
                .toList();
    }

    /** The steps a plan from the live metadata to the spec would run. */
    private static List<DriftReport.Pending> pending(ClusterSpec spec, ClusterState state) {
        Plan plan = Planner.plan(spec, state, new PlanOptions(true, true));
        return plan.steps().stream()
                .map(step -> new DriftReport.Pending(step.id().value(), step.step().action().name().toLowerCase(Locale.ROOT),
                        step.step().describe()))
                .toList();
    }

    /** What each node must hold by the metadata, connection values resolved as on the node. */
    private Map<String, NodeObjects> expectedObjects(ClusterState state) {
        PasswordSource connections = PasswordSource.fromState(state, factory.secrets());
        Map<String, NodeObjects> expected = new java.util.TreeMap<>(ExpectedObjects.forAll(state));
        expected.replaceAll((name, objects) -> connections.resolve(objects));
        return expected;
    }

    /** The objects of every node in {@code nodes}, all at once; a node that does not answer within the socket read timeout is unreachable. */
    private Map<String, InspectionResult> inspect(ClusterState state, List<NodeState> nodes) {
        ParallelInspector inspector = new ParallelInspector(new NodeInspector(),
                name -> factory.connect(ConnectionTarget.node(name, node(state, name).superConninfo())), factory.timeouts().socketRead());
        return inspector.inspectAll(nodes.stream().map(NodeState::name).toList(), List.of(state));
    }

    /** Each node's objects against the metadata's; a node that did not answer goes to {@code unreachable}. */
    private static void compareObjects(Map<String, NodeObjects> expected, Map<String, InspectionResult> inspected, Set<TableName> moving,
            List<DriftReport.Drift> drift, List<DriftReport.Unreachable> unreachable) {
        inspected.forEach((name, result) -> {
            if (result instanceof InspectionResult.Observed observed) {
                // the partitions of a move in flight are the move's until it ends: reported once, not object by object
                for (ObjectChange change : ObjectDiff.diff(expected.get(name).withoutTables(moving),
                        observed.inspection().observed().withoutTables(moving))) {
                    drift.add(new DriftReport.Drift(name, change.key().toString(), DriftCode.of(change), change.reason()));
                }
            } else if (result instanceof InspectionResult.Unreachable lost) {
                unreachable.add(new DriftReport.Unreachable(name, lost.reason()));
            }
        });
    }

    /** A node whose objects could not be read within the lock wait, with what may hold the lock. */
    private static DriftReport.Drift blocked(InspectionResult.Blocked blocked, List<String> pending) {
        return new DriftReport.Drift(blocked.node(), "objects", DriftCode.UNREADABLE, "could not be read: a catalog read waited "
                + READ_LOCK_WAIT.toSeconds() + " s for a lock (" + blocked.reason() + ")" + (pending.isEmpty()
                ? "; a session holds a lock on one of shardman's tables: see pg_locks on " + blocked.node()
                : "; prepared transaction(s) " + String.join(", ", pending) + " of an interrupted apply hold such locks: run shardman recover"));
    }

    private static DriftReport.Drift inFlight(MoveRecord move) {
        return new DriftReport.Drift(move.fromNode(), "move " + move.channelName() + " (" + move.describe() + ")", DriftCode.MOVE_IN_FLIGHT,
                "in flight, phase " + move.phase().text() + ": apply resumes it; recover finishes it once cut over"
                        + move.verification().filter(MoveRecord.Verification.MISMATCH::equals).map(ignored -> "; STOPPED on a verification mismatch").orElse(""));
    }

    /** The nodes lost in the metadata that the spec lists without lost: true (the monitor failed them over), with the time when known. */
    private List<String> specEdits(ClusterSpec spec, ClusterState state) {
        List<String> behind = spec.nodes().stream().filter(node -> !node.lost())
                .filter(node -> state.node(node.name()).map(NodeState::lost).orElse(false)).map(NodeSpec::name).toList();
        if (behind.isEmpty()) {
            return List.of();
        }
        Map<String, Instant> automatic;
        try (Connection connection = factory.connect(ConnectionTarget.shardlord(spec.shardlord()))) {
            automatic = AutomaticFailovers.read(connection);
        } catch (SQLException | ShardmanException unreadable) {
            automatic = Map.of();
        }
        Map<String, Instant> failedOverAt = automatic;
        return behind.stream().map(name -> Optional.ofNullable(failedOverAt.get(name))
                .map(at -> "shardman monitor failed node " + name + " over at " + at + ": ").orElse("") + NodeDiff.lostInStateOnly(name)).toList();
    }

    /** Replication channels of the reachable nodes (publications, subscriptions, slots, lag, synchronous standbys), as their sessions read them. */
    private List<DriftReport.Drift> channelDrift(ClusterState state, List<NodeState> reachable, Map<String, NodeDriftReads> reads) {
        Map<String, ChannelDrift.NodeChannels> read = new java.util.TreeMap<>();
        for (NodeState node : reachable) {
            NodeDriftReads nodeReads = reads.get(node.name());
            if (nodeReads.channels().isEmpty()) {
                return List.of(unreadableChannels(nodeReads.failure().orElse("")));
            }
            read.put(node.name(), nodeReads.channels().get());
        }
        return ChannelDrift.evaluating(factory.secrets())
                .findings(state, reachable, read, state.settings().maxReplicationLagBytes(), state.settings().syncReplication()).stream()
                .map(finding -> new DriftReport.Drift(finding.node(), finding.object(), finding.code(), finding.problem())).toList();
    }

    /** Subscriptions between reachable nodes without a running apply worker, each destination sampled on its own session. */
    private List<DriftReport.Drift> subscriptionWorkers(ClusterState state, List<NodeState> reachable) {
        Map<String, Connection> open = new java.util.TreeMap<>();
        try {
            return new SubscriptionWorkerProbe(node -> open.computeIfAbsent(node.name(),
                    name -> factory.connect(ConnectionTarget.node(name, node.superConninfo()))), WORKER_WATCH)
                    .check(ExpectedChannels.of(state), reachable).stream()
                    .map(finding -> new DriftReport.Drift(finding.node(), finding.object(), finding.code(), finding.problem())).toList();
        } catch (SQLException | ShardmanException unreadable) {
            return List.of(unreadableChannels(unreadable instanceof ShardmanException known ? known.summary() : unreadable.getMessage()));
        } finally {
            open.values().forEach(connection -> {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // read-only session
                }
            });
        }
    }

    private static DriftReport.Drift unreadableChannels(String reason) {
        return new DriftReport.Drift("(replication)", "replication channels", DriftCode.UNREADABLE, "could not be read: " + reason);
    }

    private static NodeState node(ClusterState state, String name) {
        return state.node(name).orElseThrow();
    }
}
