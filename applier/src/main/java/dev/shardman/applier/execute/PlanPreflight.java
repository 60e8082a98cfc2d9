package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.NodeSessions;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plan-time checks of the nodes against what a plan will run on them ({@link NodeRequirements}), so that
 * plan, not the middle of an apply, refuses a server too small for it, a server named twice or a new node's database
 * that already works for a shardman cluster ({@link ClusterMembership}). Refusals
 * list every problem at once, a move destination without disk room included ({@link DestinationDisk}, only where
 * shardman runs on the node's host); what can only be advised (an unbounded {@code max_slot_wal_keep_size}, free
 * disk space SQL cannot read) becomes a plan warning. Lost nodes are skipped; an unreachable node is skipped with a
 * warning naming it and the live checks it could not get (also for a plan without steps).
 */
public final class PlanPreflight {
    /** PostgreSQL's default max_sync_workers_per_subscription, for a node not reachable now. */
    private static final int DEFAULT_SYNC_WORKERS = 2;

    private PlanPreflight() {
    }

    /** {@code plan} with the checks' warnings added; throws {@code REFUSED} naming node, setting, need and value to use. */
    public static Plan check(ConnectionFactory factory, ClusterSpec spec, ClusterState before, Plan plan) {
        try (NodeSessions sessions = NodeSessions.open(factory, spec)) {
            return check(sessions, before, plan);
        }
    }

    /** As {@link #check(ConnectionFactory, ClusterSpec, ClusterState, Plan)}, on sessions to the spec's nodes not marked lost. */
    static Plan check(NodeSessions sessions, ClusterState before, Plan plan) {
        Map<String, NodeRequirements.ServerFacts> facts = new TreeMap<>();
        try {
            Map<String, Connection> connections = new TreeMap<>(sessions.reached());
            // a node lost in the metadata only (the monitor failed it over) has its own warning already
            List<String> unreachable = sessions.unreachable().entrySet().stream()
                    .filter(down -> !before.node(down.getKey()).map(NodeState::lost).orElse(false))
                    .map(down -> unreachableWarning(down.getKey(), down.getValue())).toList();
            for (Map.Entry<String, Connection> entry : connections.entrySet()) {
                facts.put(entry.getKey(), NodeRequirements.read(entry.getValue(), entry.getKey()));
            }
            List<String> refusals = new ArrayList<>();
            // also without steps: the repairs an apply would run first must not recreate a re-created server's partitions empty
            before.nodes().stream().filter(node -> !node.lost() && facts.containsKey(node.name()))
                    .forEach(node -> NodeIdentity.problem(node, facts.get(node.name()).systemIdentifier()).ifPresent(refusals::add));
            if (plan.isEmpty()) {
                refuseProblems(Map.of(), Map.of(), Map.of(), refusals);
                return withWarnings(plan, unreachable);
            }
            List<Step> steps = plan.steps().stream().map(PlannedStep::step).toList();
            ClusterState after = StateProjection.project(before, plan);
            Map<String, ChannelDemand> demands = ChannelDemand.of(before, after, steps,
                    name -> facts.containsKey(name) ? facts.get(name).syncWorkersPerSubscription() : DEFAULT_SYNC_WORKERS);
            Map<String, String> identifiers = new TreeMap<>();
            facts.forEach((node, server) -> identifiers.put(node, server.systemIdentifier()));
            DestinationDisk.Verdict disk = DestinationDisk.check(PreflightWarnings.incomingBytes(steps, before, connections), identifiers, connections);
            for (Step step : steps) {
                if (step instanceof RegisterNode register && connections.containsKey(register.node().name())) {
                    refusals.addAll(ClusterMembership.problems(connections.get(register.node().name()), register.node().name()));
                    refusals.addAll(ClusterMembership.keptTables(connections.get(register.node().name()), register.node().name(), after));
                }
            }
            refusals.addAll(disk.problems());
            refuseProblems(facts, demands, locksNeeded(steps), refusals);
            List<String> warnings = new ArrayList<>(unreachable);
            warnings.addAll(PreflightWarnings.of(facts, demands, disk.unchecked()));
            warnings.addAll(PreflightWarnings.syncReplicationCost(steps, after));
            return withWarnings(plan, warnings);
        } catch (SQLException unreadable) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the node settings could not be read: " + unreadable.getMessage(), "run plan again");
        }
    }

    private static void refuseProblems(Map<String, NodeRequirements.ServerFacts> facts, Map<String, ChannelDemand> demands,
                                       Map<String, Long> locks, List<String> otherProblems) {
        List<String> problems = new ArrayList<>(NodeRequirements.sameServerProblems(List.copyOf(facts.values())));
        facts.forEach((node, server) -> problems.addAll(NodeRequirements.planProblems(server,
                demands.getOrDefault(node, ChannelDemand.NONE), locks.getOrDefault(node, 0L))));
        problems.addAll(otherProblems);
        if (!problems.isEmpty()) {
            throw new ShardmanException(ErrorCode.REFUSED, "the nodes cannot run this plan: " + String.join("; ", problems),
                    "do what each problem above says (a setting: restart where said), then plan again");
        }
    }

    /**
     * Per node, the locks of the largest table the plan creates in one transaction: the parent, and per
     * partition (local or foreign) its relation, primary key, indexes and TOAST table and index: an estimate
     * from above.
     */
    static Map<String, Long> locksNeeded(List<Step> steps) {
        Map<String, Long> locks = new TreeMap<>();
        for (Step step : steps) {
            if (step instanceof CreateShardedTable create) {
                long needed = 1 + (long) create.table().partitions() * (4 + create.table().indexes().size());
                create.nodes().forEach(node -> locks.merge(node, needed, Math::max));
            }
        }
        return locks;
    }

    private static Plan withWarnings(Plan plan, List<String> added) {
        List<String> warnings = new ArrayList<>(plan.warnings());
        warnings.addAll(added);
        return new Plan(plan.header(), plan.steps(), warnings);
    }

    /**
     * The live checks of plan skip a node they cannot reach, so the plan says so before an apply fails at the first step
     * that needs it.
     */
    private static String unreachableWarning(String node, ShardmanException down) {
        return "node " + node + " is unreachable: plan could not check its server settings, disk room, column types and defaults,"
                + " grant roles nor the work an interrupted run left on it, and an apply fails at the first step that needs it"
                + " (start it, or mark it lost in the spec); " + down.summary();
    }
}
