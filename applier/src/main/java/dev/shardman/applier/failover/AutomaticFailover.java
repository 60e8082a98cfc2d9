package dev.shardman.applier.failover;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.ApplyResult;
import dev.shardman.applier.execute.FaultHook;
import dev.shardman.applier.execute.LiveMetadata;
import dev.shardman.applier.metadata.AutomaticFailovers;
import dev.shardman.applier.failover.FailoverOutcome.Kind;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.planner.ImpliedSpec;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The monitor's answer to a node that stays unreachable, under the recorded {@code settings.failover}: off, it is only
 * reported; on, once unreachable for {@code after}, it is failed over by {@link ApplyEngine} (the same lock, recovery and
 * steps as apply) with {@link ImpliedSpec#withNodeLost}: exactly what a {@code lost: true} edit plans, and none of the
 * spec edits not applied yet. A busy lock is left for the next poll; the node is checked once more under the lock (one
 * that answers again is left alone); a node holding the only copy of a partition is never failed over (its rows would be
 * lost); data-losing steps are refused by the plan options anyway. The decision is recorded in {@link AutomaticFailovers}.
 * Nodes are handled one at a time, each with a fresh read of the metadata.
 */
public final class AutomaticFailover {
    private final ConnectionFactory factory;
    private final ConninfoSecrets secrets;
    private final FaultHook faults;
    private final ClusterSpec spec;

    /**
     * @param spec the monitor's spec: its shardlord, file name and node timeout are used; its cluster shape is not (the
     *             metadata's is)
     */
    public AutomaticFailover(ConnectionFactory factory, ConninfoSecrets secrets, FaultHook faults, ClusterSpec spec) {
        this.factory = requireNonNull(factory, "factory is null").withNodeTimeout(spec.settings().nodeTimeout());
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.faults = requireNonNull(faults, "faults is null");
        this.spec = spec;
    }

    /** Decides about each unreachable node in turn (and fails it over when due); one outcome per node, in order. */
    public List<FailoverOutcome> respond(List<UnreachableNode> unreachable) {
        List<FailoverOutcome> outcomes = new ArrayList<>();
        for (UnreachableNode node : unreachable) {
            try {
                outcomes.add(respond(node));
            } catch (ShardmanException unreadable) {
                // e.g. the shardlord itself is unreachable: nothing can be decided this poll, the next one asks again
                outcomes.add(new FailoverOutcome(node.name(), Kind.FAILED, "node " + node.name() + " is unreachable; nothing could be"
                        + " decided about it this poll: " + unreadable.getMessage()));
            }
        }
        return List.copyOf(outcomes);
    }

    private FailoverOutcome respond(UnreachableNode unreachable) {
        String name = unreachable.name();
        ClusterState state = LiveMetadata.read(factory, spec.cluster(), spec.shardlord()).state();
        Optional<NodeState> node = state.node(name);
        if (node.isEmpty()) {
            return new FailoverOutcome(name, Kind.REPORTED_ONLY, "node " + name + " is unreachable and not in the cluster's metadata");
        }
        FailoverSettings settings = state.settings().failover();
        String down = "node " + name + " is unreachable for " + unreachable.unreachableFor().toSeconds() + "s";
        if (!settings.automatic()) {
            return new FailoverOutcome(name, Kind.REPORTED_ONLY, down + "; automatic failover is off (settings.failover.automatic):"
                    + " bring it back, or mark it lost: true in the spec and run apply");
        }
        if (unreachable.unreachableFor().compareTo(settings.after()) < 0) {
            return new FailoverOutcome(name, Kind.WAITING, down + "; it is failed over automatically after " + settings.after().toSeconds() + "s");
        }
        List<String> onlyCopies = onlyCopiesOn(state, name);
        if (!onlyCopies.isEmpty()) {
            return new FailoverOutcome(name, Kind.REFUSED, down + " and holds the only copy of " + String.join(", ", onlyCopies)
                    + ": it is never failed over automatically (those rows would be lost); bring it back, or mark it lost: true"
                    + " and apply with --allow-data-loss");
        }
        ClusterSpec implied = ImpliedSpec.withNodeLost(spec, state, name);
        if (node.get().lost() && Planner.plan(implied, state, PlanOptions.DEFAULTS).isEmpty()) {
            return new FailoverOutcome(name, Kind.ALREADY_LOST, "node " + name + " is lost in the metadata and failed over already");
        }
        return failOver(node.get(), implied, down, () -> stillUnreachable(node.get()), unreachable.unreachableFor());
    }

    /**
     * Finishes the failover of each node lost in the metadata whose primaries are not all promoted yet (a failover that
     * stopped halfway, e.g. on a client's locks: MarkNodeLost committed, a promotion did not): their keys fail until it
     * is done, and the node, lost, is polled no more. Nothing when automatic failover is off (the operator's apply
     * finishes it) or when there is nothing left to do.
     */
    public List<FailoverOutcome> finish(List<String> lostNodes) {
        List<FailoverOutcome> outcomes = new ArrayList<>();
        for (String name : lostNodes) {
            try {
                ClusterState state = LiveMetadata.read(factory, spec.cluster(), spec.shardlord()).state();
                Optional<NodeState> node = state.node(name).filter(NodeState::lost);
                if (node.isEmpty() || !state.settings().failover().automatic()) {
                    continue;
                }
                ClusterSpec implied = ImpliedSpec.withNodeLost(spec, state, name);
                if (!Planner.plan(implied, state, PlanOptions.DEFAULTS).isEmpty()) {
                    outcomes.add(failOver(node.get(), implied, "node " + name + " is lost in the metadata and its failover did not finish",
                            () -> true, Duration.ZERO));
                }
            } catch (ShardmanException unreadable) {
                outcomes.add(new FailoverOutcome(name, Kind.FAILED, "the failover of node " + name + " did not finish; nothing could be"
                        + " done about it this poll: " + unreadable.getMessage()));
            }
        }
        return List.copyOf(outcomes);
    }

    /** The primaries on {@code node} with no replica on another node that is not lost. */
    private static List<String> onlyCopiesOn(ClusterState state, String node) {
        Set<String> lost = state.nodes().stream().filter(NodeState::lost).map(NodeState::name).collect(Collectors.toSet());
        return state.partitions().stream().filter(partition -> partition.node().equals(node))
                .map(PartitionState::name)
                .filter(partition -> state.replicaNodesOf(partition).stream().allMatch(replica -> replica.equals(node) || lost.contains(replica)))
                .toList();
    }

    /** {@code confirmed}: asked under the cluster lock, before anything changes (the node still down, for a first failover). */
    private FailoverOutcome failOver(NodeState node, ClusterSpec implied, String down, BooleanSupplier confirmed, Duration unreachableFor) {
        UnattendedFailover listener = new UnattendedFailover(confirmed);
        try {
            ApplyResult result = new ApplyEngine(factory, secrets, faults).withoutInitialSyncWait()
                    .apply(implied, PlanOptions.DEFAULTS, Optional.empty(), listener);
            if (result.declined()) {
                return new FailoverOutcome(node.name(), Kind.ANSWERS_AGAIN, "node " + node.name()
                        + " answered again when checked under the cluster lock: nothing changed");
            }
            return new FailoverOutcome(node.name(), Kind.FAILED_OVER, down + ": failed over automatically (" + result.stepsDone()
                    + " steps: " + String.join("; ", listener.stepsDone()) + "); mark it lost: true in the spec (or remove it)"
                    + record(node, unreachableFor));
        } catch (ShardmanException failure) {
            Kind kind = failure.code() == ErrorCode.LOCK_HELD ? Kind.LOCK_BUSY
                    : failure.code() == ErrorCode.REFUSED || failure.code() == ErrorCode.INVALID_INPUT ? Kind.REFUSED : Kind.FAILED;
            return new FailoverOutcome(node.name(), kind, down + "; its automatic failover " + (kind == Kind.LOCK_BUSY
                    ? "waits for the next poll: " : "did not happen: ") + failure.getMessage()
                    + listener.failure().map(step -> " (" + step + ")").orElse(""));
        }
    }

    /** A connection and {@code SELECT 1} within the node timeout: what the monitor's poll asked, asked again. */
    private boolean stillUnreachable(NodeState node) {
        try (Connection connection = factory.connect(ConnectionTarget.node(node.name(), node.superConninfo()));
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return false;
        } catch (SQLException | ShardmanException unreachable) {
            return true;
        }
    }

    /** Records the decision; the failover is committed already, so a failure here is only said (empty when recorded). */
    private String record(NodeState node, Duration unreachableFor) {
        try (Connection shardlord = factory.connect(ConnectionTarget.shardlord(spec.shardlord()))) {
            AutomaticFailovers.record(shardlord, node.name(), node.id(), unreachableFor, "shardman monitor, pid " + ProcessHandle.current().pid());
            return "";
        } catch (SQLException | ShardmanException failure) {
            return "; the shardlord did not record that the monitor did it (" + failure.getMessage() + ")";
        }
    }
}
