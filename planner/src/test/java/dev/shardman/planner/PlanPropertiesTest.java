package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.render.JsonPlanWriter;
import dev.shardman.planner.render.TextPlanRenderer;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PromoteReplica;
import dev.shardman.planner.support.SpecBuilder;
import org.jgrapht.Graph;
import org.jgrapht.alg.flow.mincost.CapacityScalingMinimumCostFlow;
import org.jgrapht.alg.flow.mincost.MinimumCostFlowProblem;
import org.jgrapht.alg.interfaces.MinimumCostFlowAlgorithm;
import org.jgrapht.graph.DirectedWeightedMultigraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.shardman.planner.support.Scenarios.ALLOW_ALL;
import static dev.shardman.planner.support.Scenarios.built;
import static dev.shardman.planner.support.Scenarios.stepsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests over seeded random clusters: 1–4 replication groups of 1–6 nodes, 1–4 sharded tables of
 * 1–64 partitions (some colocated), redundancy 0..(smallest group − 1); the recorded state is either the
 * planner's own placement or a random (unbalanced, still valid) one; then random changes: nodes added,
 * removed from the spec, marked lost (only when every table has replicas), a table added or dropped, a
 * redundancy changed. For each case the state the plan leads to must
 * <ol type="a">
 *   <li>satisfy the spec: every sharded table with all its partitions, each with exactly its redundancy in
 *       replicas; live nodes in the state = nodes of the spec not marked lost; no copy on any other node;</li>
 *   <li>be balanced: in every replication group the per-node counts of primary units, and of replica units,
 *       differ by at most one (a unit is partition n of an anchor with its colocated tables);</li>
 *   <li>hold no two copies of a partition on one node, every replica in its primary's group, and colocated
 *       partitions (primary and replicas) on the same nodes as their anchor's;</li>
 *   <li>need no further change: planning again from it gives an empty plan;</li>
 * </ol>
 * and (e) the plan must move no more units (MovePrimary + MoveReplica steps) than the minimum, per group and
 * per role, computed here without the planner's balancer; (f) the same inputs give byte-identical text and JSON.
 *
 * <h2>The minimum number of moves</h2>
 * A move copies a unit that already exists from one node to another; creating a replica, re-creating a lost
 * primary empty, promoting a replica and dropping a copy are not moves. Primaries and replicas are counted
 * separately, per replication group (data never leaves its group). For one role in one group with k staying
 * nodes (in the spec, not lost) and T copies of that role afterwards:
 * <ul>
 *   <li>a copy on a node that leaves (removed from the spec, not lost) must move: one move each;</li>
 *   <li>a copy on a lost node is gone: a promotion or a new copy replaces it at no move, like a new table's copy;</li>
 *   <li>every other copy may stay. A ±1 balanced result gives each node ⌊T/k⌋ or ⌈T/k⌉, with exactly T mod k
 *       ceilings. Without placement constraints, with c_i copies that may stay on node i, node i must send
 *       away max(0, c_i − t_i), which is enough, and the sum is least when the ceilings go to the largest c_i:
 *       moves = (copies on leaving nodes) + Σ max(0, c_i − t_i) ({@code simpleBound}).</li>
 *   <li>But no node may hold two copies of a unit, so some copies cannot go where that bound sends them. The
 *       test therefore computes the exact least number as a min-cost flow ({@link MinimumMoves}): source → unit
 *       (its copies) → allowed node (capacity 1; cost 0 where it has a copy that may stay, else 1) → sink
 *       (⌊T/k⌋ per node, plus T mod k extra slots shared); moves = cost − new copies. It checks that this is
 *       never below the simple bound, and asserts that the plan's moves equal it, per group and role.</li>
 * </ul>
 * Decisions taken from the plan, so the minimum is conditional on them: which replica a lost primary is promoted
 * on ({@link PromoteReplica}'s first candidate), which replicas a lowered redundancy drops ({@link DropReplica}),
 * which group each unit of a new table goes to (T per group read from the result), and the order of the roles:
 * primary moves run before replica moves, so a primary only moves to a node without a copy of it.
 * <ul>
 *   <li>Primaries: the least moves among the ±1 primary placements (off the nodes keeping each unit's replicas) that
 *       leave the replicas a ±1 placement ({@link JointMinimum}: a search over per-node caps, each placement tried by
 *       the replica flow). The planner's primary moves must equal it.</li>
 *   <li>Replicas: the least moves behind the planner's final primaries ({@link MinimumMoves} with those nodes
 *       forbidden). Another placement with as few primary moves might allow fewer replica moves; the planner takes its
 *       own balancer's primaries or the joint search's, whichever moves fewer, and (e) does not range over the others.</li>
 *   <li>When {@link JointMinimum} finds no such placement, no plan can balance the group: the plan must say so in a
 *       warning naming exactly those groups, move there only the copies on leaving nodes, and planning again must be
 *       empty and give the same warning. (b) is checked in every other group, (e) in every group.</li>
 * </ul>
 * (d) is checked in every case.
 *
 * <p>Seeds: cases 1..N ({@code -Dproperty.cases=N}, default 500) plus {@link #REGRESSION_SEEDS}; one case alone with
 * {@code -Dproperty.seed=S}.
 * A failing case names its seed and describes its scenario.
 */
class PlanPropertiesTest {
    private static final int CASES = Integer.getInteger("property.cases", 500);
    /**
     * Seeds beyond the default range that once failed: 1110 (new copies had to shift along a chain), 1993 (a unit moved twice),
     * 734 (a node and a table with replicas added together: the new table's primaries all on the new node left its replicas
     * no balanced placement; placed jointly now, with two primary moves), 2942 (the same with a random layout), 624, 922, 2707
     * and 2835 (a unit with a copy on every node: one replica or primary move above the least).
     */
    private static final long[] REGRESSION_SEEDS = {624, 734, 922, 1110, 1993, 2707, 2835, 2942};
    private static final java.util.concurrent.atomic.AtomicInteger CASES_RUN = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger UNBALANCEABLE_CASES = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger JOINTLY_PLACED_CASES = new java.util.concurrent.atomic.AtomicInteger();

    @TestFactory
    Stream<DynamicTest> plansHaveTheProperties() {
        String single = System.getProperty("property.seed");
        LongStream seeds = single != null ? LongStream.of(Long.parseLong(single))
                : LongStream.concat(LongStream.rangeClosed(1, CASES), LongStream.of(REGRESSION_SEEDS).filter(seed -> seed > CASES));
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runCase(seed)));
    }

    private static void runCase(long seed) {
        Scenario scenario = Scenario.generate(seed);
        try {
            checkProperties(scenario);
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError("property failed for seed " + seed + " (rerun with -Dproperty.seed=" + seed + ")\n"
                    + scenario.describe() + "\n" + failure.getMessage(), failure);
        }
    }

    private static void checkProperties(Scenario scenario) {
        Plan plan = Planner.plan(scenario.after, scenario.state, ALLOW_ALL);
        Plan again = Planner.plan(scenario.after, scenario.state, ALLOW_ALL);
        assertArrayEquals(bytes(TextPlanRenderer.render(plan, false)), bytes(TextPlanRenderer.render(again, false)), "(f) text differs");
        assertArrayEquals(bytes(JsonPlanWriter.write(plan)), bytes(JsonPlanWriter.write(again)), "(f) JSON differs");

        ClusterState next = StateProjection.project(scenario.state, plan);
        Layout layout = new Layout(scenario.after, next);
        layout.assertSatisfiesSpec();
        layout.assertPlacementRules();
        Set<String> unbalanceable = assertMinimalMoves(scenario, plan, layout);
        layout.assertBalanced(unbalanceable);
        assertEquals(unbalanceable, warnedGroups(plan), "(b) the groups the plan says it cannot balance");
        Plan replanned = Planner.plan(scenario.after, next, ALLOW_ALL);
        assertTrue(replanned.isEmpty(), () -> "(d) planning again is not empty:\n"
                + replanned.steps().stream().map(step -> step.step().describe()).collect(Collectors.joining("\n")));
        assertEquals(unbalanceable, warnedGroups(replanned), "(d) planning again says other groups cannot be balanced");
        if (!unbalanceable.isEmpty()) {
            UNBALANCEABLE_CASES.incrementAndGet();
        }
        CASES_RUN.incrementAndGet();
    }

    /** The replication groups that a plan's warnings say cannot be balanced. */
    private static Set<String> warnedGroups(Plan plan) {
        Set<String> groups = new TreeSet<>();
        for (String warning : plan.warnings()) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("^replication group (\\S+) cannot be balanced by moving partitions").matcher(warning);
            assertTrue(matcher.find(), "unexpected warning: " + warning);
            groups.add(matcher.group(1));
        }
        return groups;
    }

    @AfterAll
    static void summary() {
        System.out.printf("PlanPropertiesTest: %d cases; %d with a group that no moves can balance (the plan says so, moves only what must move,"
                + " converges; (e) checked there, (b) everywhere else); %d where the fewest primary moves alone leave the replicas"
                + " unbalanceable (more primary moves needed: joint minimum checked)%n",
                CASES_RUN.get(), UNBALANCEABLE_CASES.get(), JOINTLY_PLACED_CASES.get());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- (a), (b), (c)

    /** The resulting state, indexed by unit: the anchor's partitions stand for their colocation group. */
    private static final class Layout {
        final ClusterSpec spec;
        final ClusterState state;
        final Map<String, String> groupOf = new HashMap<>();
        final Map<String, String> primaryOf = new HashMap<>();
        final Map<String, TreeSet<String>> replicasOf = new HashMap<>();
        final Map<String, String> rootOf = new HashMap<>();
        final TreeSet<String> liveNodes = new TreeSet<>();

        Layout(ClusterSpec spec, ClusterState state) {
            this.spec = spec;
            this.state = state;
            state.nodes().forEach(node -> groupOf.put(node.name(), node.replicationGroup()));
            state.nodes().stream().filter(node -> !node.lost()).forEach(node -> liveNodes.add(node.name()));
            state.partitions().forEach(partition -> primaryOf.put(partition.name(), partition.node()));
            state.replicas().forEach(replica -> replicasOf.computeIfAbsent(replica.partition(), key -> new TreeSet<>()).add(replica.node()));
            spec.tables().forEach(table -> rootOf.put(table.name(), table.colocateWith().orElse(table.name())));
        }

        void assertSatisfiesSpec() {
            Set<String> specLive = spec.nodes().stream().filter(node -> !node.lost()).map(NodeSpec::name).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(specLive, liveNodes, "(a) live nodes of the state differ from the spec's");
            assertEquals(spec.tables().stream().map(TableSpec::name).collect(Collectors.toSet()),
                    state.tables().stream().map(TableState::name).collect(Collectors.toSet()), "(a) tables differ");
            int expectedPartitions = 0;
            int expectedReplicas = 0;
            for (TableSpec table : spec.tables()) {
                TableState recorded = state.table(table.name()).orElseThrow();
                assertEquals(table.partitions(), recorded.partitions(), "(a) partition count of " + table.name());
                assertEquals(table.redundancy(), recorded.redundancy(), "(a) redundancy of " + table.name());
                for (int index = 0; index < table.partitions(); index++) {
                    String name = PartitionState.name(table.name(), index);
                    String primary = primaryOf.get(name);
                    assertNotNull(primary, "(a) no primary for " + name);
                    assertTrue(liveNodes.contains(primary), "(a) primary of " + name + " on a node that is not live: " + primary);
                    TreeSet<String> replicas = replicasOf.getOrDefault(name, new TreeSet<>());
                    assertEquals(table.redundancy(), replicas.size(), "(a) replicas of " + name + ": " + replicas);
                    assertTrue(liveNodes.containsAll(replicas), "(a) replica of " + name + " on a node that is not live: " + replicas);
                }
                expectedPartitions += table.partitions();
                expectedReplicas += table.partitions() * table.redundancy();
            }
            assertEquals(expectedPartitions, state.partitions().size(), "(a) extra partitions in the state");
            assertEquals(expectedReplicas, state.replicas().size(), "(a) extra or duplicate replicas in the state");
        }

        void assertPlacementRules() {
            for (ReplicaState replica : state.replicas()) {
                String primary = primaryOf.get(replica.partition());
                assertFalse(replica.node().equals(primary), "(c) replica on its primary's node: " + replica);
                assertEquals(groupOf.get(primary), groupOf.get(replica.node()), "(c) replica outside its primary's group: " + replica);
            }
            for (TableSpec table : spec.tables()) {
                String root = rootOf.get(table.name());
                for (int index = 0; index < table.partitions() && !root.equals(table.name()); index++) {
                    String name = PartitionState.name(table.name(), index);
                    String anchor = PartitionState.name(root, index);
                    assertEquals(primaryOf.get(anchor), primaryOf.get(name), "(c) colocated primary apart: " + name);
                    assertEquals(replicasOf.getOrDefault(anchor, new TreeSet<>()), replicasOf.getOrDefault(name, new TreeSet<>()), "(c) colocated replicas apart: " + name);
                }
            }
        }

        /** Per group, per role: unit counts (anchors' partitions only) over the group's live nodes. */
        Map<String, Map<String, Integer>> counts(boolean primaries) {
            Map<String, Map<String, Integer>> counts = new TreeMap<>();
            for (String node : liveNodes) {
                counts.computeIfAbsent(groupOf.get(node), group -> new TreeMap<>()).put(node, 0);
            }
            for (TableSpec table : spec.tables()) {
                if (!rootOf.get(table.name()).equals(table.name())) {
                    continue;
                }
                for (int index = 0; index < table.partitions(); index++) {
                    String name = PartitionState.name(table.name(), index);
                    List<String> holders = primaries ? List.of(primaryOf.get(name)) : List.copyOf(replicasOf.getOrDefault(name, new TreeSet<>()));
                    holders.forEach(node -> counts.get(groupOf.get(node)).merge(node, 1, Integer::sum));
                }
            }
            return counts;
        }

        void assertBalanced(Set<String> unbalanceable) {
            Set<String> skipped = new TreeSet<>(unbalanceable);
            for (boolean primaries : List.of(true, false)) {
                counts(primaries).forEach((group, counts) -> {
                    if (skipped.contains(group)) {
                        return;
                    }
                    int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                    int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
                    assertTrue(max - min <= 1, "(b) " + (primaries ? "primaries" : "replicas") + " unbalanced in " + group + ": " + counts);
                });
            }
        }
    }

    // ---------------------------------------------------------------- (e)

    /** Checks (e) and returns the groups that no placement reachable by moves can balance ({@link JointMinimum} finds none). */
    private static Set<String> assertMinimalMoves(Scenario scenario, Plan plan, Layout after) {
        Set<String> lost = new HashSet<>();
        scenario.after.nodes().stream().filter(NodeSpec::lost).forEach(node -> lost.add(node.name()));
        scenario.state.nodes().stream().filter(NodeState::lost).forEach(node -> lost.add(node.name()));
        Map<String, String> groupBefore = new HashMap<>();
        scenario.state.nodes().forEach(node -> groupBefore.put(node.name(), node.replicationGroup()));
        Map<String, String> promotedTo = new HashMap<>();
        stepsOf(plan, PromoteReplica.class).forEach(step -> promotedTo.put(step.unit().name(), step.candidates().get(0)));
        Set<String> dropped = new HashSet<>();
        stepsOf(plan, DropReplica.class).forEach(step -> dropped.add(step.unit().name() + "@" + step.node()));
        Map<String, List<String>> replicasBefore = new HashMap<>();
        scenario.state.replicas().forEach(replica -> replicasBefore.computeIfAbsent(replica.partition(), key -> new ArrayList<>()).add(replica.node()));

        Map<String, List<UnitCopies>> primaries = new TreeMap<>();
        Map<String, List<UnitCopies>> replicas = new TreeMap<>();
        Set<String> existing = new HashSet<>();
        for (PartitionState partition : scenario.state.partitions()) {
            if (!partition.table().equals(after.rootOf.get(partition.table()))) {
                continue;
            }
            String unit = partition.name();
            existing.add(unit);
            String group = groupBefore.get(partition.node());
            String promoted = promotedTo.get(unit);
            TreeSet<String> keptReplicas = new TreeSet<>();
            UnitCopies replicaCopies = new UnitCopies(unit, Set.of(after.primaryOf.get(unit)), after.replicasOf.getOrDefault(unit, new TreeSet<>()).size());
            for (String node : replicasBefore.getOrDefault(unit, List.of())) {
                if (!node.equals(promoted) && !dropped.contains(unit + "@" + node) && !lost.contains(node)) {
                    replicaCopies.add(node, after.liveNodes.contains(node));
                    if (after.liveNodes.contains(node)) {
                        keptReplicas.add(node);
                    }
                }
            }
            UnitCopies primaryCopies = new UnitCopies(unit, keptReplicas, 1);
            String primary = lost.contains(partition.node()) ? promoted : partition.node();
            if (primary != null) {
                primaryCopies.add(primary, after.liveNodes.contains(primary));
            }
            primaries.computeIfAbsent(group, key -> new ArrayList<>()).add(primaryCopies);
            replicas.computeIfAbsent(group, key -> new ArrayList<>()).add(replicaCopies);
        }
        after.primaryOf.forEach((partition, node) -> {
            String table = partition.substring(0, partition.lastIndexOf('_'));
            if (!existing.contains(partition) && table.equals(after.rootOf.get(table))) {
                String group = after.groupOf.get(node);
                primaries.computeIfAbsent(group, key -> new ArrayList<>()).add(new UnitCopies(partition, Set.of(), 1));
                replicas.computeIfAbsent(group, key -> new ArrayList<>())
                        .add(new UnitCopies(partition, Set.of(node), after.replicasOf.getOrDefault(partition, new TreeSet<>()).size()));
            }
        });

        Map<String, List<String>> nodesByGroup = new TreeMap<>();
        after.liveNodes.forEach(node -> nodesByGroup.computeIfAbsent(after.groupOf.get(node), key -> new ArrayList<>()).add(node));
        Map<String, Long> primaryMoves = movesByGroup(stepsOf(plan, MovePrimary.class).stream().map(MovePrimary::to).toList(), after);
        Map<String, Long> replicaMoves = movesByGroup(stepsOf(plan, MoveReplica.class).stream().map(MoveReplica::to).toList(), after);
        Map<String, Long> primaryMinimum = new TreeMap<>();
        Map<String, Long> replicaMinimum = new TreeMap<>();
        Set<String> proven = new TreeSet<>();
        Map<String, Long> allPrimaryMoves = movesByGroup(stepsOf(plan, MovePrimary.class).stream().map(MovePrimary::to).toList(), after);
        Map<String, Long> allReplicaMoves = movesByGroup(stepsOf(plan, MoveReplica.class).stream().map(MoveReplica::to).toList(), after);
        Set<String> jointlyPlaced = new TreeSet<>();
        nodesByGroup.forEach((group, nodes) -> {
            List<UnitCopies> groupPrimaries = primaries.getOrDefault(group, List.of());
            List<UnitCopies> groupReplicas = replicas.getOrDefault(group, List.of());
            long primaryLeast = JointMinimum.primaryMoves(nodes, groupPrimaries, groupReplicas);
            if (primaryLeast == MinimumMoves.INFEASIBLE) {
                proven.add(group);
                long forcedPrimaries = groupPrimaries.stream().mapToLong(copies -> copies.leaving).sum();
                long forcedReplicas = groupReplicas.stream().mapToLong(copies -> copies.leaving).sum();
                assertEquals(forcedPrimaries, allPrimaryMoves.getOrDefault(group, 0L), "(e) primary moves in " + group + ", which no moves can balance,"
                        + " other than those of copies on leaving nodes: " + stepsOf(plan, MovePrimary.class));
                assertEquals(forcedReplicas, allReplicaMoves.getOrDefault(group, 0L), "(e) replica moves in " + group + ", which no moves can balance,"
                        + " other than those of copies on leaving nodes: " + stepsOf(plan, MoveReplica.class));
                return;
            }
            if (primaryLeast > MinimumMoves.of(nodes, groupPrimaries)) {
                jointlyPlaced.add(group);
            }
            long replicaLeast = MinimumMoves.of(nodes, groupReplicas);
            assertTrue(replicaLeast != MinimumMoves.INFEASIBLE, "(b) no balanced replica placement behind the planner's primaries in " + group);
            putIfPositive(primaryMinimum, group, primaryLeast);
            putIfPositive(replicaMinimum, group, replicaLeast);
        });
        if (!jointlyPlaced.isEmpty()) {
            JOINTLY_PLACED_CASES.incrementAndGet();
        }
        primaryMoves.keySet().removeAll(proven);
        replicaMoves.keySet().removeAll(proven);
        assertEquals(primaryMinimum, primaryMoves, () -> "(e) primary moves per group; copies " + primaries + ", moves " + stepsOf(plan, MovePrimary.class));
        assertEquals(replicaMinimum, replicaMoves, () -> "(e) replica moves per group; copies " + replicas + ", moves " + stepsOf(plan, MoveReplica.class));
        return proven;
    }

    private static Map<String, Long> movesByGroup(List<String> destinations, Layout after) {
        return destinations.stream().map(after.groupOf::get)
                .collect(Collectors.groupingBy(group -> group, TreeMap::new, Collectors.counting()));
    }

    private static void putIfPositive(Map<String, Long> map, String key, long value) {
        if (value > 0) {
            map.put(key, value);
        }
    }

    /**
     * The least primary moves in one group among the ±1 balanced primary placements (off the nodes keeping each
     * unit's replicas) that leave the replicas a ±1 balanced placement, or {@link MinimumMoves#INFEASIBLE} when
     * none does (no plan can balance the group). Computed without the planner: a best-first search over per-node
     * caps on the primaries of units of redundancy ≥ t ({@link MinimumMoves#withCaps}); each placement found is
     * tried by the replica flow itself ({@link MinimumMoves#of}); when that has no full flow, some set S of nodes
     * (all 2^k tried) cannot receive its share, Σ_u min(r_u, |S| − [u's primary in S]) &lt; |S|·⌊R/k⌋ +
     * max(0, R mod k − (k − |S|)) (necessary for any placement, by counting), so every placement that keeps it
     * has fewer primaries of redundancy ≥ |S| on some node of S: the search branches on which. Caps never lower
     * the moves, so the first placement the replica flow accepts has the fewest.
     */
    static final class JointMinimum {
        private record Caps(Map<String, int[]> byNode, long moves, Map<String, String> chosen) {
        }

        static long primaryMoves(List<String> nodes, List<UnitCopies> primaries, List<UnitCopies> replicas) {
            Map<String, Integer> redundancy = new HashMap<>();
            replicas.forEach(copies -> redundancy.put(copies.unit, copies.count));
            int levels = redundancy.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            Map<String, int[]> start = new TreeMap<>();
            nodes.forEach(node -> start.put(node, filled(levels, primaries.size())));
            java.util.PriorityQueue<Caps> queue = new java.util.PriorityQueue<>(Comparator.comparingLong(Caps::moves));
            Set<String> seen = new HashSet<>();
            offer(queue, seen, nodes, primaries, redundancy, start);
            for (int tried = 0; !queue.isEmpty(); tried++) {
                assertTrue(tried < 100_000, "(e) joint minimum search did not finish");
                Caps caps = queue.poll();
                List<UnitCopies> behind = replicas.stream().map(copies -> copies.forbidding(caps.chosen().get(copies.unit))).toList();
                if (MinimumMoves.of(nodes, behind) != MinimumMoves.INFEASIBLE) {
                    return caps.moves();
                }
                List<String> short_ = shortSet(nodes, replicas, caps.chosen());
                assertNotNull(short_, "(e) the replica flow has no balanced placement, yet every set of nodes can receive its share");
                int level = short_.size();
                for (String node : short_) {
                    int held = (int) caps.chosen().entrySet().stream()
                            .filter(entry -> entry.getValue().equals(node) && redundancy.get(entry.getKey()) >= level).count();
                    Map<String, int[]> child = new TreeMap<>();
                    caps.byNode().forEach((name, row) -> child.put(name, row.clone()));
                    child.get(node)[level] = Math.min(child.get(node)[level], held - 1);
                    offer(queue, seen, nodes, primaries, redundancy, child);
                }
            }
            return MinimumMoves.INFEASIBLE;
        }

        private static int[] filled(int length, int value) {
            int[] row = new int[length];
            java.util.Arrays.fill(row, value);
            return row;
        }

        private static void offer(java.util.PriorityQueue<Caps> queue, Set<String> seen, List<String> nodes, List<UnitCopies> primaries,
                Map<String, Integer> redundancy, Map<String, int[]> byNode) {
            String key = byNode.entrySet().stream().map(entry -> entry.getKey() + java.util.Arrays.toString(entry.getValue())).collect(Collectors.joining());
            if (!seen.add(key)) {
                return;
            }
            Map<String, String> chosen = new HashMap<>();
            long moves = MinimumMoves.withCaps(nodes, primaries, redundancy, byNode, chosen);
            if (moves != MinimumMoves.INFEASIBLE) {
                queue.add(new Caps(byNode, moves, chosen));
            }
        }

        /** A set of nodes that cannot receive its share of replicas behind {@code primaryOf} (smallest first), or null. */
        private static List<String> shortSet(List<String> nodes, List<UnitCopies> replicas, Map<String, String> primaryOf) {
            int k = nodes.size();
            long total = replicas.stream().mapToLong(copies -> copies.count).sum();
            List<List<String>> sets = new ArrayList<>();
            for (int mask = 1; mask < 1 << k; mask++) {
                List<String> set = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    if ((mask & 1 << i) != 0) {
                        set.add(nodes.get(i));
                    }
                }
                sets.add(set);
            }
            sets.sort(Comparator.comparingInt(List::size));
            for (List<String> set : sets) {
                int size = set.size();
                long reach = 0;
                for (UnitCopies copies : replicas) {
                    reach += Math.min(copies.count, size - (set.contains(primaryOf.get(copies.unit)) ? 1 : 0));
                }
                if (reach < size * (total / k) + Math.max(0, total % k - (k - size))) {
                    return set;
                }
            }
            return null;
        }
    }

    /**
     * The copies of one unit in one role that need a node after the plan: {@code count} of them, some now on
     * staying nodes (they may stay for free), some on leaving nodes (each costs a move), the rest new (free);
     * never on a node of {@code forbidden} (its copies of the other role) nor two on one node.
     */
    static final class UnitCopies {
        final String unit;
        final Set<String> forbidden;
        final int count;
        final Set<String> staying = new TreeSet<>();
        int leaving;

        UnitCopies(String unit, Set<String> forbidden, int count) {
            this.unit = unit;
            this.forbidden = forbidden;
            this.count = count;
        }

        /** The same copies with the other role's copy on {@code node} instead (the replicas behind another primary placement). */
        UnitCopies forbidding(String node) {
            UnitCopies copies = new UnitCopies(unit, node == null ? Set.of() : Set.of(node), count);
            copies.staying.addAll(staying);
            copies.leaving = leaving;
            return copies;
        }

        void add(String node, boolean stays) {
            if (stays) {
                staying.add(node);
            } else {
                leaving++;
            }
        }

        int free() {
            return count - staying.size() - leaving;
        }

        @Override
        public String toString() {
            return unit + staying + (leaving > 0 ? "+" + leaving + " leaving" : "") + (free() > 0 ? "+" + free() + " new" : "") + "!" + forbidden;
        }
    }

    private static long simpleBound(List<String> nodes, List<UnitCopies> units) {
        Map<String, Integer> canStay = new HashMap<>();
        int total = 0;
        long leaving = 0;
        for (UnitCopies unit : units) {
            unit.staying.forEach(node -> canStay.merge(node, 1, Integer::sum));
            total += unit.count;
            leaving += unit.leaving;
        }
        List<Integer> held = nodes.stream().map(node -> canStay.getOrDefault(node, 0)).sorted(Comparator.reverseOrder()).toList();
        long moves = leaving;
        for (int i = 0; i < held.size(); i++) {
            int target = total / held.size() + (i < total % held.size() ? 1 : 0);
            moves += Math.max(0, held.get(i) - target);
        }
        return moves;
    }

    /**
     * The least moves for one role in one group, as a min-cost flow: source → unit (capacity: its copies) → node
     * (capacity 1, cost 0 where the unit has a copy that may stay, 1 elsewhere; forbidden nodes absent) → sink
     * (capacity ⌊T/k⌋) or → a shared "extra slot" vertex (capacity 1 each) → sink (capacity T mod k). A full
     * flow is a ±1 balanced placement; its cost counts every copy that does not stay where it is, so new copies
     * are then subtracted (they fill a node at no move): moves = cost − new copies. Copies on leaving nodes are
     * neither staying nor new, so they count one move each. Without constraints this equals
     * {@link #simpleBound}; with them it can only be higher, which the test also checks.
     */
    static final class MinimumMoves {
        static final long INFEASIBLE = -1;
        private final Graph<Integer, Arc> graph = new DirectedWeightedMultigraph<>(null, null);
        private Map<Arc, Double> flow;

        /** An arc into node {@code node} (−1: not a node's arc); parallel arcs are told apart by identity. */
        private static final class Arc {
            private final int capacity;
            private final int node;

            Arc(int capacity, int node) {
                this.capacity = capacity;
                this.node = node;
            }
        }

        private MinimumMoves(int vertices) {
            for (int v = 0; v < vertices; v++) {
                graph.addVertex(v);
            }
        }

        static long of(List<String> nodes, List<UnitCopies> units) {
            return of(nodes, units, new HashMap<>());
        }

        /** As {@link #of(List, List)}; also fills {@code chosen} with the node of each single-copy unit in the flow found. */
        static long of(List<String> nodes, List<UnitCopies> units, Map<String, String> chosen) {
            int total = units.stream().mapToInt(unit -> unit.count).sum();
            if (total == 0) {
                return 0;
            }
            int source = 0;
            int sink = 1;
            int extra = 2;
            int firstNode = 3;
            int firstUnit = firstNode + nodes.size();
            MinimumMoves flow = new MinimumMoves(firstUnit + units.size());
            for (int i = 0; i < nodes.size(); i++) {
                flow.edge(firstNode + i, sink, total / nodes.size(), 0);
                flow.edge(firstNode + i, extra, 1, 0);
            }
            flow.edge(extra, sink, total % nodes.size(), 0);
            int free = 0;
            List<List<Arc>> placements = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                UnitCopies unit = units.get(u);
                free += unit.free();
                flow.edge(source, firstUnit + u, unit.count, 0);
                List<Arc> arcs = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    if (!unit.forbidden.contains(nodes.get(i))) {
                        arcs.add(flow.edge(firstUnit + u, firstNode + i, 1, unit.staying.contains(nodes.get(i)) ? 0 : 1, i));
                    }
                }
                placements.add(arcs);
            }
            long[] result = flow.run(source, sink);
            if (result[0] < total) {
                return INFEASIBLE;
            }
            for (int u = 0; u < units.size(); u++) {
                for (Arc arc : placements.get(u)) {
                    if (flow.carries(arc) && units.get(u).count == 1) {
                        chosen.put(units.get(u).unit, nodes.get(arc.node));
                    }
                }
            }
            long minimum = result[1] - free;
            assertTrue(minimum >= simpleBound(nodes, units), "(e) flow minimum below the simple bound: " + units);
            return minimum;
        }

        /**
         * The least moves of single-copy units (primaries) in a ±1 balanced placement where node n holds at most
         * {@code caps.get(n)[t]} units of redundancy ≥ t: unit → node's class r vertex; class t → class t − 1
         * (capacity the cap) → … → class 0 → sink / extra slot. Fills {@code chosen} with each unit's node.
         */
        static long withCaps(List<String> nodes, List<UnitCopies> units, Map<String, Integer> redundancy, Map<String, int[]> caps,
                Map<String, String> chosen) {
            int total = units.size();
            if (total == 0) {
                return 0;
            }
            int levels = caps.get(nodes.get(0)).length;
            int source = 0;
            int sink = 1;
            int extra = 2;
            int firstClass = 3;
            int firstUnit = firstClass + nodes.size() * levels;
            MinimumMoves flow = new MinimumMoves(firstUnit + units.size());
            for (int i = 0; i < nodes.size(); i++) {
                int base = firstClass + i * levels;
                flow.edge(base, sink, total / nodes.size(), 0);
                flow.edge(base, extra, 1, 0);
                for (int t = 1; t < levels; t++) {
                    flow.edge(base + t, base + t - 1, Math.max(0, caps.get(nodes.get(i))[t]), 0);
                }
            }
            flow.edge(extra, sink, total % nodes.size(), 0);
            int free = 0;
            List<List<Arc>> placements = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                UnitCopies unit = units.get(u);
                free += unit.free();
                flow.edge(source, firstUnit + u, 1, 0);
                List<Arc> arcs = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    if (!unit.forbidden.contains(nodes.get(i))) {
                        arcs.add(flow.edge(firstUnit + u, firstClass + i * levels + redundancy.getOrDefault(unit.unit, 0), 1,
                                unit.staying.contains(nodes.get(i)) ? 0 : 1, i));
                    }
                }
                placements.add(arcs);
            }
            long[] result = flow.run(source, sink);
            if (result[0] < total) {
                return INFEASIBLE;
            }
            for (int u = 0; u < units.size(); u++) {
                for (Arc arc : placements.get(u)) {
                    if (flow.carries(arc)) {
                        chosen.put(units.get(u).unit, nodes.get(arc.node));
                    }
                }
            }
            return result[1] - free;
        }

        private Arc edge(int from, int to, int capacity, int cost) {
            return edge(from, to, capacity, cost, -1);
        }

        /** An arc whose cost JGraphT reads from its edge weight (1.5.2 ignores the problem's cost function). */
        private Arc edge(int from, int to, int capacity, int cost, int node) {
            Arc arc = new Arc(capacity, node);
            graph.addEdge(from, to, arc);
            graph.setEdgeWeight(arc, cost);
            return arc;
        }

        private boolean carries(Arc arc) {
            return flow.getOrDefault(arc, 0.0) > 0.5;
        }

        /**
         * JGraphT's capacity-scaling min-cost flow: {flow, cost}. It needs every supply met, so a bypass arc
         * source → sink dearer than all other arcs together carries what the network cannot.
         */
        private long[] run(int source, int sink) {
            int supply = graph.outgoingEdgesOf(source).stream().mapToInt(arc -> arc.capacity).sum();
            double bypassCost = 1 + graph.edgeSet().stream().mapToDouble(arc -> arc.capacity * graph.getEdgeWeight(arc)).sum();
            Arc bypass = edge(source, sink, supply, 0);
            graph.setEdgeWeight(bypass, bypassCost);
            MinimumCostFlowAlgorithm.MinimumCostFlow<Arc> solution = new CapacityScalingMinimumCostFlow<Integer, Arc>().getMinimumCostFlow(
                    new MinimumCostFlowProblem.MinimumCostFlowProblemImpl<>(graph, v -> v == source ? supply : v == sink ? -supply : 0,
                            arc -> arc.capacity, arc -> 0, graph::getEdgeWeight));
            flow = solution.getFlowMap();
            long bypassed = Math.round(flow.getOrDefault(bypass, 0.0));
            return new long[] {supply - bypassed, Math.round(solution.getCost() - bypassed * bypassCost)};
        }
    }

    // ---------------------------------------------------------------- the generator

    /** One random case: the spec the state was built for, the state (possibly scrambled), the new spec. */
    private record Scenario(long seed, ClusterSpec before, ClusterState state, ClusterSpec after, List<String> changes) {
        static Scenario generate(long seed) {
            Random random = new Random(seed);
            List<List<String>> groups = new ArrayList<>();
            int groupCount = 1 + random.nextInt(4);
            for (int group = 0; group < groupCount; group++) {
                List<String> nodes = new ArrayList<>();
                int nodeCount = 1 + random.nextInt(6);
                for (int node = 0; node < nodeCount; node++) {
                    nodes.add("g" + group + "n" + node);
                }
                groups.add(nodes);
            }
            int smallest = groups.stream().mapToInt(List::size).min().orElseThrow();
            Map<String, int[]> tables = new TreeMap<>();
            Map<String, String> colocation = new TreeMap<>();
            int tableCount = 1 + random.nextInt(4);
            for (int table = 0; table < tableCount; table++) {
                String name = "t" + table;
                List<String> roots = tables.keySet().stream().filter(candidate -> !colocation.containsKey(candidate)).toList();
                if (!roots.isEmpty() && random.nextInt(3) == 0) {
                    String anchor = roots.get(random.nextInt(roots.size()));
                    colocation.put(name, anchor);
                    tables.put(name, tables.get(anchor).clone());
                } else {
                    tables.put(name, new int[] {1 + random.nextInt(64), random.nextInt(smallest)});
                }
            }
            List<String> changes = new ArrayList<>();
            ClusterSpec before = spec(groups, Set.of(), tables, colocation);
            ClusterState state = built(before);
            if (random.nextBoolean()) {
                state = scramble(state, groups, random);
                changes.add("random placement");
            }
            List<List<String>> live = new ArrayList<>();
            groups.forEach(nodes -> live.add(new ArrayList<>(nodes)));
            Set<String> lost = new TreeSet<>();
            changeMembership(random, live, lost, tables, changes);
            changeTables(random, live, tables, colocation, changes);
            return new Scenario(seed, before, state, spec(live, lost, tables, colocation), changes);
        }

        private static void changeMembership(Random random, List<List<String>> live, Set<String> lost, Map<String, int[]> tables, List<String> changes) {
            int maxRedundancy = tables.values().stream().mapToInt(table -> table[1]).max().orElse(0);
            int minRedundancy = tables.values().stream().mapToInt(table -> table[1]).min().orElse(0);
            for (int group = 0; group < live.size(); group++) {
                List<String> nodes = live.get(group);
                for (int change = random.nextInt(4); change > 0; change--) {
                    int kind = random.nextInt(3);
                    if (kind == 0 && nodes.size() < 6) {
                        String node = "g" + group + "x" + change;
                        nodes.add(node);
                        changes.add("add " + node);
                    } else if (kind > 0 && nodes.size() > maxRedundancy + 1) {
                        String node = nodes.remove(random.nextInt(nodes.size()));
                        if (kind == 2 && minRedundancy > 0) {
                            lost.add(node + "@" + group);
                            changes.add("lose " + node);
                        } else {
                            changes.add("remove " + node);
                        }
                    }
                }
            }
        }

        private static void changeTables(Random random, List<List<String>> live, Map<String, int[]> tables, Map<String, String> colocation, List<String> changes) {
            int smallest = live.stream().mapToInt(List::size).min().orElseThrow();
            switch (random.nextInt(6)) {
                case 0 -> {
                    tables.put("t9", new int[] {1 + random.nextInt(64), random.nextInt(smallest)});
                    changes.add("add table t9");
                }
                case 1 -> {
                    List<String> droppable = tables.keySet().stream().filter(table -> !colocation.containsValue(table)).toList();
                    if (droppable.size() > 1) {
                        String table = droppable.get(random.nextInt(droppable.size()));
                        tables.remove(table);
                        colocation.remove(table);
                        changes.add("drop table " + table);
                    }
                }
                case 2 -> {
                    List<String> roots = tables.keySet().stream().filter(table -> !colocation.containsKey(table)).toList();
                    String root = roots.get(random.nextInt(roots.size()));
                    int redundancy = random.nextInt(smallest);
                    tables.get(root)[1] = redundancy;
                    colocation.forEach((table, anchor) -> {
                        if (anchor.equals(root)) {
                            tables.get(table)[1] = redundancy;
                        }
                    });
                    changes.add("redundancy of " + root + " = " + redundancy);
                }
                default -> {
                }
            }
        }

        private static ClusterSpec spec(List<List<String>> groups, Set<String> lost, Map<String, int[]> tables, Map<String, String> colocation) {
            SpecBuilder builder = SpecBuilder.cluster();
            for (int group = 0; group < groups.size(); group++) {
                for (String node : groups.get(group)) {
                    builder.node(node, "rg" + group);
                }
            }
            for (String entry : lost) {
                String[] parts = entry.split("@");
                builder.lostNode(parts[0], "rg" + parts[1]);
            }
            tables.forEach((name, shape) -> {
                if (colocation.containsKey(name)) {
                    builder.colocated(name, colocation.get(name), shape[0], shape[1]);
                } else {
                    builder.sharded(name, shape[0], shape[1]);
                }
            });
            return builder.build();
        }

        /** The same tables, each unit on a random group, its primary and replicas on random distinct nodes there. */
        private static ClusterState scramble(ClusterState state, List<List<String>> groups, Random random) {
            Map<String, List<String>> unitNodes = new HashMap<>();
            List<PartitionState> partitions = new ArrayList<>();
            List<ReplicaState> replicas = new ArrayList<>();
            for (TableState table : state.tables()) {
                String root = table.colocateWith().orElse(table.name());
                for (int index = 0; index < table.partitions(); index++) {
                    int redundancy = table.redundancy();
                    List<String> nodes = unitNodes.computeIfAbsent(PartitionState.name(root, index), key -> {
                        List<String> group = new ArrayList<>(groups.get(random.nextInt(groups.size())));
                        java.util.Collections.shuffle(group, random);
                        return List.copyOf(group.subList(0, redundancy + 1));
                    });
                    String name = PartitionState.name(table.name(), index);
                    partitions.add(new PartitionState(table.name(), index, nodes.get(0)));
                    nodes.subList(1, nodes.size()).stream().sorted().forEach(node -> replicas.add(new ReplicaState(name, node)));
                }
            }
            return ClusterState.withDefaultSettings(state.lineage(), state.serial(), state.nodes(), state.tables(), partitions, replicas);
        }

        String describe() {
            return "groups: " + before.nodes().stream().collect(Collectors.groupingBy(NodeSpec::replicationGroup, TreeMap::new,
                    Collectors.mapping(NodeSpec::name, Collectors.toList())))
                    + "; tables: " + before.tables().stream().map(table -> table.name() + "(" + table.partitions() + "p r" + table.redundancy()
                    + table.colocateWith().map(anchor -> " with " + anchor).orElse("") + ")").collect(Collectors.joining(", "))
                    + "; changes: " + changes;
        }
    }
}
