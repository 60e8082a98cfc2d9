package dev.shardman.planner;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.planner.render.JsonPlanWriter;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.shardman.planner.support.Scenarios.ALLOW_ALL;
import static dev.shardman.planner.support.Scenarios.built;
import static dev.shardman.planner.support.Scenarios.stepsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests for pins and weights over seeded random clusters: 1–3 replication groups of 2–5 nodes with weights
 * drawn from {0.5, 1, 1.5, 2, 3}, 1–3 sharded tables (one maybe colocated) of 1–40 partitions, redundancy 0..(smallest
 * group − 1), built by the planner; then a node may join a group, weights may change, and up to 6 units get pins
 * (nodes of the unit's group; the pinned primary may be where a replica is: a swap). The state the plan leads to must
 * <ol type="a">
 *   <li>honour every pin (primary on the pin's first node, a replica on each further one), hold each partition's
 *       redundancy in replicas of its primary's group, and never two copies of a unit on one node;</li>
 *   <li>be balanced: per group and role, each node holds the floor of its weight-proportional share or one more,
 *       where a node whose pins alone exceed its share holds exactly its pins and the others share the rest (computed
 *       here, not by the planner's {@code Targets}); a case whose plan warns that a group cannot be balanced is
 *       counted and must stay under 1 in 12 (measured: 53 of 1,000 seeds, mostly replicas of tables with a copy on
 *       nearly every node, where the unsteered planner's joint search would be needed);</li>
 *   <li>need no further change (planning again is empty), and (d) the same inputs give the same JSON;</li>
 * </ol>
 * and (e) where every table has redundancy 0 (nothing constrains where a primary may go, and no pin swaps roles), the plan moves exactly the
 * least number of primaries: one per pinned unit not on its pinned node, plus, per group, Σ max(0, excess) less
 * the extra slots that over-target nodes can keep.
 *
 * <p>Seeds 1..N ({@code -Dproperty.cases=N}, default 300); one case alone with {@code -Dproperty.seed=S}.
 */
class SteeredPlanPropertiesTest {
    private static final int CASES = Integer.getInteger("property.cases", 300);
    private static final String[] WEIGHTS = {"0.5", "1", "1", "1.5", "2", "3"};
    private static final java.util.concurrent.atomic.AtomicInteger WARNED = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger REFUSED = new java.util.concurrent.atomic.AtomicInteger();

    @TestFactory
    Stream<DynamicTest> pinsAndWeightsArePlacedBalancedDeterministicAndWithFewestMoves() {
        Long only = Long.getLong("property.seed");
        LongStream seeds = only != null ? LongStream.of(only) : LongStream.rangeClosed(1, CASES);
        Stream<DynamicTest> cases = seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
        return Stream.concat(cases, Stream.of(DynamicTest.dynamicTest("warnings stay rare", () -> {
                System.out.println("steered cases: " + WARNED.get() + " warned, " + REFUSED.get() + " refused of " + CASES);
                assertTrue(WARNED.get() <= CASES / 12 && REFUSED.get() <= CASES / 3, WARNED.get() + " of " + CASES + " cases could not be balanced, "
                        + REFUSED.get() + " had weights no placement meets");
        })));
    }

    /** One random case: the cluster before, the spec after. */
    private record Scenario(ClusterState state, ClusterSpec desired, String description) {
    }

    private static void check(long seed) {
        Scenario scenario;
        Plan plan;
        try {
            scenario = scenario(new Random(seed));
            plan = Planner.plan(scenario.desired(), scenario.state(), ALLOW_ALL);
        } catch (ShardmanException refused) {
            assertWeightsCannotBeMet("seed " + seed, refused);
            return;
        }
        String context = "seed " + seed + ": " + scenario.description();
        assertEquals(JsonPlanWriter.write(plan), JsonPlanWriter.write(Planner.plan(scenario.desired(), scenario.state(), ALLOW_ALL)), context);
        ClusterState next = StateProjection.project(scenario.state(), plan);
        Layout layout = Layout.of(next, scenario.desired());
        layout.assertPinsHonouredAndCopiesDistinct(context);
        boolean warned = !plan.warnings().isEmpty();
        if (warned) {
            WARNED.incrementAndGet();
        } else {
            layout.assertBalanced(context);
        }
        Plan again = Planner.plan(scenario.desired(), next, ALLOW_ALL);
        assertTrue(again.isEmpty(), () -> context + ": planning again is not empty: "
                + again.steps().stream().map(step -> step.step().describe()).collect(Collectors.joining("; ")));
        if (scenario.desired().tables().stream().allMatch(table -> table.redundancy() == 0)) {
            assertEquals(leastPrimaryMoves(scenario.state(), scenario.desired()), stepsOf(plan, MovePrimary.class).size(), context + ": primary moves");
        }
    }

    /**
     * A refusal (building the starting state or planning the change) must be the one for weights no placement meets
     * (a node weighing over 1/(redundancy + 1) of its group); such cases are counted and must stay a minority.
     */
    private static void assertWeightsCannotBeMet(String context, ShardmanException refused) {
        assertTrue(refused.detail().contains("its weighted share"), context + ": refused: " + refused.detail());
        REFUSED.incrementAndGet();
    }

    private static Scenario scenario(Random random) {
        int groups = 1 + random.nextInt(3);
        boolean replicated = random.nextInt(3) > 0;
        SpecBuilder builder = SpecBuilder.cluster();
        List<String> description = new ArrayList<>();
        int smallest = Integer.MAX_VALUE;
        for (int group = 1; group <= groups; group++) {
            int size = 2 + random.nextInt(4);
            smallest = Math.min(smallest, size);
            for (int node = 1; node <= size; node++) {
                String name = "g" + group + "n" + node;
                builder.node(name, "rg" + group).weight(name, WEIGHTS[random.nextInt(WEIGHTS.length)]);
            }
        }
        int tables = 1 + random.nextInt(3);
        for (int table = 1; table <= tables; table++) {
            int redundancy = replicated ? random.nextInt(smallest) : 0;
            if (table > 1 && random.nextInt(3) == 0) {
                TableSpec anchor = builder.build().table("t1").orElseThrow();
                builder.colocated("t" + table, "t1", anchor.partitions(), anchor.redundancy());
            } else {
                builder.sharded("t" + table, 1 + random.nextInt(40), redundancy);
            }
        }
        ClusterState state = built(builder.build());
        if (random.nextBoolean()) {
            int group = 1 + random.nextInt(groups);
            String name = "g" + group + "n9";
            builder.node(name, "rg" + group).weight(name, WEIGHTS[random.nextInt(WEIGHTS.length)]);
            description.add(name + " joins");
        }
        for (NodeSpec node : builder.build().nodes()) {
            if (random.nextInt(4) == 0) {
                builder.weight(node.name(), WEIGHTS[random.nextInt(WEIGHTS.length)]);
                description.add(node.name() + " reweighted");
            }
        }
        addPins(random, builder, state, description);
        ClusterSpec desired = builder.build();
        description.add(0, desired.nodes().stream().map(node -> node.name() + "×" + node.weight().toPlainString()).collect(Collectors.joining(" "))
                + "; " + desired.tables().stream().map(table -> table.name() + "/" + table.partitions() + "r" + table.redundancy()
                + table.colocateWith().map(anchor -> "→" + anchor).orElse("")).collect(Collectors.joining(" ")));
        return new Scenario(state, desired, String.join(", ", description));
    }

    /** Up to 6 pins on anchors' units, with nodes of the unit's group. */
    private static void addPins(Random random, SpecBuilder builder, ClusterState state, List<String> description) {
        ClusterSpec spec = builder.build();
        Map<String, List<String>> groupNodes = spec.nodes().stream()
                .collect(Collectors.groupingBy(NodeSpec::replicationGroup, TreeMap::new, Collectors.mapping(NodeSpec::name, Collectors.toList())));
        Map<String, String> groupOf = spec.nodes().stream().collect(Collectors.toMap(NodeSpec::name, NodeSpec::replicationGroup));
        List<TableSpec> anchors = spec.tables().stream().filter(table -> table.colocateWith().isEmpty()).toList();
        int pins = random.nextInt(7);
        for (int pin = 0; pin < pins; pin++) {
            TableSpec table = anchors.get(random.nextInt(anchors.size()));
            PartitionState partition = state.partition(table.name(), random.nextInt(table.partitions())).orElseThrow();
            List<String> nodes = new ArrayList<>(groupNodes.get(groupOf.get(partition.node())));
            java.util.Collections.shuffle(nodes, random);
            List<String> chosen = new ArrayList<>(List.of(nodes.get(0)));
            List<String> others = new ArrayList<>(groupNodes.get(groupOf.get(partition.node())));
            others.remove(nodes.get(0));
            java.util.Collections.shuffle(others, random);
            chosen.addAll(others.subList(0, random.nextInt(table.redundancy() + 1)));
            builder.pin(table.name(), partition.index(), chosen.toArray(String[]::new));
            description.add(partition.name() + " pinned to " + chosen);
        }
    }

    /** The least primary moves with redundancy 0: pinned units not yet home, plus each group's excess over its targets. */
    private static long leastPrimaryMoves(ClusterState state, ClusterSpec desired) {
        Map<String, Integer> pinnedTo = new HashMap<>();
        Map<String, String> pinOf = new HashMap<>();
        long moves = 0;
        for (TableSpec table : desired.tables()) {
            for (PartitionPin pin : table.placement()) {
                pinnedTo.merge(pin.primary(), 1, Integer::sum);
                String key = table.name() + "_" + pin.partition();
                pinOf.put(key, pin.primary());
                if (!state.partition(table.name(), pin.partition()).orElseThrow().node().equals(pin.primary())) {
                    moves++;
                }
            }
        }
        Map<String, Integer> free = new HashMap<>();
        state.partitions().stream().filter(partition -> isAnchor(desired, partition.table()) && !pinOf.containsKey(partition.name()))
                .forEach(partition -> free.merge(partition.node(), 1, Integer::sum));
        for (Map.Entry<String, List<String>> group : groups(desired).entrySet()) {
            moves += excess(group.getValue(), free, pinnedTo, desired);
        }
        return moves;
    }

    private static boolean isAnchor(ClusterSpec spec, String table) {
        return spec.table(table).map(found -> found.colocateWith().isEmpty()).orElse(false);
    }

    private static Map<String, List<String>> groups(ClusterSpec spec) {
        return spec.nodes().stream().collect(Collectors.groupingBy(NodeSpec::replicationGroup, TreeMap::new,
                Collectors.mapping(NodeSpec::name, Collectors.toList())));
    }

    private static long excess(List<String> nodes, Map<String, Integer> free, Map<String, Integer> pinned, ClusterSpec spec) {
        Map<String, Long> load = new HashMap<>();
        nodes.forEach(node -> load.put(node, (long) free.getOrDefault(node, 0) + pinned.getOrDefault(node, 0)));
        Shares shares = Shares.of(nodes, load, pinned, spec);
        long sum = 0;
        int overloaded = 0;
        for (String node : nodes) {
            long over = load.get(node) - shares.floor.get(node);
            sum += Math.max(0, over);
            if (over >= 1 && !shares.capped.contains(node)) {
                overloaded++;
            }
        }
        return sum - Math.min(shares.extra, overloaded);
    }

    /** Each node's floor share of a group's copies of one role, nodes capped at their pins, and the extra slots left. */
    private record Shares(Map<String, Long> floor, java.util.Set<String> capped, long extra) {
        static Shares of(List<String> nodes, Map<String, Long> load, Map<String, Integer> pinned, ClusterSpec spec) {
            Map<String, BigDecimal> weight = new HashMap<>();
            nodes.forEach(node -> weight.put(node, spec.node(node).orElseThrow().weight()));
            long total = load.values().stream().mapToLong(Long::longValue).sum();
            List<String> active = new ArrayList<>(nodes);
            Map<String, Long> floor = new HashMap<>();
            java.util.Set<String> capped = new java.util.HashSet<>();
            long remaining = total;
            for (boolean changed = true; changed; ) {
                BigDecimal sum = active.stream().map(weight::get).reduce(BigDecimal.ZERO, BigDecimal::add);
                long share = remaining;
                List<String> over = active.stream().filter(node -> BigDecimal.valueOf(pinned.getOrDefault(node, 0)).multiply(sum)
                        .compareTo(BigDecimal.valueOf(share).multiply(weight.get(node))) > 0).toList();
                over.forEach(node -> {
                    floor.put(node, (long) pinned.get(node));
                    capped.add(node);
                });
                remaining -= over.stream().mapToLong(pinned::get).sum();
                active.removeAll(over);
                changed = !over.isEmpty();
            }
            BigDecimal sum = active.stream().map(weight::get).reduce(BigDecimal.ZERO, BigDecimal::add);
            long extra = remaining;
            for (String node : active) {
                long nodeFloor = BigDecimal.valueOf(remaining).multiply(weight.get(node)).divideToIntegralValue(sum).longValueExact();
                floor.put(node, nodeFloor);
                extra -= nodeFloor;
            }
            return new Shares(floor, capped, extra);
        }
    }

    /** The units (anchors' partitions) of a state by group, role and node, with the spec's pins. */
    private record Layout(ClusterState state, ClusterSpec spec) {
        static Layout of(ClusterState state, ClusterSpec spec) {
            return new Layout(state, spec);
        }

        void assertPinsHonouredAndCopiesDistinct(String context) {
            Map<String, String> groupOf = state.nodes().stream().collect(Collectors.toMap(NodeState::name, NodeState::replicationGroup));
            for (PartitionState partition : state.partitions()) {
                TableSpec table = spec.table(partition.table()).orElseThrow();
                List<String> replicas = state.replicaNodesOf(partition.name());
                assertEquals(table.redundancy(), replicas.size(), context + ": replicas of " + partition.name());
                assertTrue(replicas.stream().allMatch(node -> groupOf.get(node).equals(groupOf.get(partition.node())) && !node.equals(partition.node())),
                        context + ": replicas of " + partition.name() + " " + replicas + ", primary on " + partition.node());
                assertEquals(replicas.size(), replicas.stream().distinct().count(), context + ": " + partition.name());
                String anchor = table.colocateWith().orElse(table.name());
                PartitionState anchorPartition = state.partition(anchor, partition.index()).orElseThrow();
                assertEquals(anchorPartition.node(), partition.node(), context + ": " + partition.name() + " follows " + anchor);
                spec.table(anchor).orElseThrow().placement().stream().filter(pin -> pin.partition() == partition.index()).forEach(pin -> {
                    assertEquals(pin.primary(), partition.node(), context + ": pinned primary of " + partition.name());
                    assertTrue(replicas.containsAll(pin.replicas()), context + ": pinned replicas of " + partition.name() + " " + pin.replicas()
                            + ", replicas " + replicas);
                });
            }
        }

        void assertBalanced(String context) {
            Map<String, Integer> pinnedPrimaries = new HashMap<>();
            Map<String, Integer> pinnedReplicas = new HashMap<>();
            spec.tables().forEach(table -> table.placement().forEach(pin -> {
                pinnedPrimaries.merge(pin.primary(), 1, Integer::sum);
                pin.replicas().forEach(node -> pinnedReplicas.merge(node, 1, Integer::sum));
            }));
            Map<String, Long> primaries = new HashMap<>();
            Map<String, Long> replicas = new HashMap<>();
            for (PartitionState partition : state.partitions()) {
                if (isAnchor(spec, partition.table())) {
                    primaries.merge(partition.node(), 1L, Long::sum);
                    state.replicaNodesOf(partition.name()).forEach(node -> replicas.merge(node, 1L, Long::sum));
                }
            }
            groups(spec).forEach((group, nodes) -> {
                assertWithinShares(context + ": primaries of " + group, nodes, primaries, pinnedPrimaries);
                assertWithinShares(context + ": replicas of " + group, nodes, replicas, pinnedReplicas);
            });
        }

        private void assertWithinShares(String context, List<String> nodes, Map<String, Long> counts, Map<String, Integer> pinned) {
            Map<String, Long> load = new HashMap<>();
            nodes.forEach(node -> load.put(node, counts.getOrDefault(node, 0L)));
            Shares shares = Shares.of(nodes, load, pinned, spec);
            for (String node : nodes) {
                long held = load.get(node);
                long floor = shares.floor().get(node);
                assertTrue(held >= floor && held <= floor + (shares.capped().contains(node) ? 0 : 1),
                        context + ": " + node + " holds " + held + ", share floor " + floor + (shares.capped().contains(node) ? " (capped)" : "")
                                + "; all: " + new TreeMap<>(load));
            }
        }
    }
}
