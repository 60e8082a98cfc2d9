package dev.shardman.planner.support;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.Step;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helpers shared by planner tests: states made by planning from nothing, counts, invariant checks. */
public final class Scenarios {
    public static final PlanOptions ALLOW_ALL = new PlanOptions(true, true);

    private Scenarios() {
    }

    /** The state of a cluster built from scratch to {@code spec} (the planner's own placement). */
    public static ClusterState built(ClusterSpec spec) {
        return StateProjection.project(ClusterState.empty(), Planner.plan(spec, ClusterState.empty(), PlanOptions.DEFAULTS));
    }

    public static List<Step> steps(Plan plan) {
        return plan.steps().stream().map(PlannedStep::step).toList();
    }

    public static <T extends Step> List<T> stepsOf(Plan plan, Class<T> type) {
        return steps(plan).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Primary counts per node for one table. */
    public static Map<String, Long> primaryCounts(ClusterState state, String table) {
        return new TreeMap<>(state.partitions().stream().filter(partition -> partition.table().equals(table))
                .collect(Collectors.groupingBy(PartitionState::node, Collectors.counting())));
    }

    public static Map<String, Long> replicaCounts(ClusterState state, String table) {
        return new TreeMap<>(state.replicas().stream().filter(replica -> replica.partition().startsWith(table + "_"))
                .collect(Collectors.groupingBy(ReplicaState::node, Collectors.counting())));
    }

    /** Applies the plan, checks the invariants of the result and that planning again changes nothing; returns the result. */
    public static ClusterState applyAndCheckIdempotent(ClusterSpec spec, ClusterState state, Plan plan, PlanOptions options) {
        ClusterState next = StateProjection.project(state, plan);
        assertNoTwoCopiesOnANode(next);
        Plan again = Planner.plan(spec, next, options);
        assertTrue(again.isEmpty(), () -> "planning again from the resulting state is not empty:\n"
                + again.steps().stream().map(step -> step.step().describe()).collect(Collectors.joining("\n")));
        return next;
    }

    public static void assertNoTwoCopiesOnANode(ClusterState state) {
        Map<String, String> primaries = state.partitions().stream().collect(Collectors.toMap(PartitionState::name, PartitionState::node));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ReplicaState replica : state.replicas()) {
            assertFalse(replica.node().equals(primaries.get(replica.partition())), "replica on primary node: " + replica);
            assertTrue(seen.add(replica.partition() + "@" + replica.node()), "duplicate replica: " + replica);
        }
    }

    /** Asserts max - min ≤ 1 over the given nodes (absent nodes count 0). */
    public static void assertBalanced(Map<String, Long> counts, List<String> nodes) {
        long max = nodes.stream().mapToLong(node -> counts.getOrDefault(node, 0L)).max().orElse(0);
        long min = nodes.stream().mapToLong(node -> counts.getOrDefault(node, 0L)).min().orElse(0);
        assertTrue(max - min <= 1, "unbalanced: " + counts + " over " + nodes);
    }

    public static void assertSameCounts(Map<String, Long> expected, Map<String, Long> actual) {
        assertEquals(expected, actual);
    }
}
