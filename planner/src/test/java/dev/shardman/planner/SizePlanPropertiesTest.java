package dev.shardman.planner;

import dev.shardman.model.spec.BalanceSettings;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.model.state.PartitionState;
import dev.shardman.planner.render.JsonPlanWriter;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.shardman.planner.support.Scenarios.ALLOW_ALL;
import static dev.shardman.planner.support.Scenarios.built;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests for {@code settings.balance.by: size} over seeded random clusters: 1–2 replication groups of 2–5
 * nodes with weights from {0.5, 1, 1.5, 2}, 1–3 sharded tables (one maybe colocated) of 1–40 partitions, redundancy
 * 0..(smallest group − 1), built by the count planner; random partition sizes (many small, a few large, some empty),
 * a tolerance of 5, 10 or 25% and a base of 0 or 1 MiB; then a node may join, weights may change and up to 3 units
 * get pins. The state the plan leads to must
 * <ol type="a">
 *   <li>honour every pin, keep each partition's redundancy and never put two copies of a unit on one node;</li>
 *   <li>per group and role, have every node's bytes inside its band (its weight-proportional share ± the tolerance,
 *       a node whose pins exceed its share capped at them: computed here, not by the planner's {@code SizeTargets}),
 *       or else no single move of an unpinned copy brings the nodes closer to their bands (checked exhaustively; a
 *       primary may not go where its unit had a replica before the plan: primary moves run first);</li>
 *   <li>need no further change when every node is inside its band (planning again is empty: the "no move when
 *       within tolerance" property); where some node stays outside, planning again may find a move that a replica's
 *       move freed (a primary never moves onto a node its replica is leaving in the same plan), so the plans must
 *       converge: empty within 5 plans, every intermediate state keeping (a);</li>
 *   <li>and the same inputs give the same JSON.</li>
 * </ol>
 *
 * <p>Seeds 1..N ({@code -Dproperty.cases=N}, default 300); one case alone with {@code -Dproperty.seed=S}.
 */
class SizePlanPropertiesTest {
    private static final int CASES = Integer.getInteger("property.cases", 300);
    private static final String[] WEIGHTS = {"0.5", "1", "1", "1", "1.5", "2"};
    private static final int[] TOLERANCES = {5, 10, 25};
    private static final int MAXIMUM_REPLANS = 5;
    private static final java.util.concurrent.atomic.AtomicInteger STUCK = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger REPLANNED = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger MOST_PLANS = new java.util.concurrent.atomic.AtomicInteger(1);

    @TestFactory
    Stream<DynamicTest> sizesAreBalancedWithinToleranceOrNoMoveHelps() {
        Long only = Long.getLong("property.seed");
        LongStream seeds = only != null ? LongStream.of(only) : LongStream.rangeClosed(1, CASES);
        return Stream.concat(seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed))),
                Stream.of(DynamicTest.dynamicTest("summary", () -> System.out.println("size cases: " + STUCK.get() + " of " + CASES
                        + " end outside some band where no single move helps; " + REPLANNED.get() + " of them planned again moved more; at most "
                        + MOST_PLANS.get() + " plan(s) with moves before an empty one"))));
    }

    private record Scenario(ClusterState state, ClusterSpec desired, String description) {
    }

    private static void check(long seed) {
        Scenario scenario = scenario(new Random(seed));
        String context = "seed " + seed + ": " + scenario.description();
        Plan plan = Planner.plan(scenario.desired(), scenario.state(), ALLOW_ALL);
        assertEquals(JsonPlanWriter.write(plan), JsonPlanWriter.write(Planner.plan(scenario.desired(), scenario.state(), ALLOW_ALL)), context);
        ClusterState next = StateProjection.project(scenario.state(), plan);
        SizeLayout layout = SizeLayout.of(next, scenario.desired(), scenario.state());
        layout.assertPinsHonouredAndCopiesDistinct(context);
        boolean within = layout.withinBands(context);
        if (!within) {
            STUCK.incrementAndGet();
        }
        ClusterState current = next;
        for (int replan = 1; replan <= MAXIMUM_REPLANS; replan++) {
            Plan again = Planner.plan(scenario.desired(), current, ALLOW_ALL);
            if (again.isEmpty()) {
                MOST_PLANS.accumulateAndGet(replan, Math::max);
                return;
            }
            String steps = again.steps().stream().map(step -> step.step().describe()).collect(Collectors.joining("; "));
            assertTrue(!within, () -> context + ": every node is within its band, yet planning again is not empty: " + steps);
            if (replan == 1) {
                REPLANNED.incrementAndGet();
            }
            current = StateProjection.project(current, again);
            SizeLayout.of(current, scenario.desired(), scenario.state()).assertPinsHonouredAndCopiesDistinct(context + ", replan " + replan);
        }
        throw new AssertionError(context + ": still not empty after " + MAXIMUM_REPLANS + " plans");
    }

    private static Scenario scenario(Random random) {
        int groups = 1 + random.nextInt(2);
        SpecBuilder builder = SpecBuilder.cluster();
        List<String> description = new ArrayList<>();
        int smallest = Integer.MAX_VALUE;
        for (int group = 1; group <= groups; group++) {
            int size = 2 + random.nextInt(4);
            smallest = Math.min(smallest, size);
            for (int node = 1; node <= size; node++) {
                builder.node("g" + group + "n" + node, "rg" + group);
            }
        }
        boolean replicated = random.nextBoolean();
        int tables = 1 + random.nextInt(3);
        for (int table = 1; table <= tables; table++) {
            if (table > 1 && random.nextInt(3) == 0) {
                TableSpec anchor = builder.build().table("t1").orElseThrow();
                builder.colocated("t" + table, "t1", anchor.partitions(), anchor.redundancy());
            } else {
                builder.sharded("t" + table, 1 + random.nextInt(40), replicated ? random.nextInt(smallest) : 0);
            }
        }
        ClusterState state = built(builder.build());
        state = state.withPartitionBytes(randomSizes(random, state));
        if (random.nextBoolean()) {
            String name = "g" + (1 + random.nextInt(groups)) + "n9";
            builder.node(name, name.substring(0, 2).replace("g", "rg"));
            description.add(name + " joins");
        }
        for (NodeSpec node : builder.build().nodes()) {
            if (random.nextInt(3) == 0) {
                builder.weight(node.name(), WEIGHTS[random.nextInt(WEIGHTS.length)]);
            }
        }
        addPins(random, builder, state, description);
        int tolerance = TOLERANCES[random.nextInt(TOLERANCES.length)];
        long base = random.nextBoolean() ? 0 : 1L << 20;
        builder.balance(new BalanceSettings(BalanceSettings.Mode.SIZE, tolerance, base));
        ClusterSpec desired = builder.build();
        description.add(0, desired.nodes().stream().map(node -> node.name() + "×" + node.weight().toPlainString()).collect(Collectors.joining(" "))
                + "; " + desired.tables().stream().map(table -> table.name() + "/" + table.partitions() + "r" + table.redundancy()
                + table.colocateWith().map(anchor -> "→" + anchor).orElse("")).collect(Collectors.joining(" ")) + "; ±" + tolerance + "% base " + base);
        return new Scenario(state, desired, String.join(", ", description));
    }

    /** Mostly 1-100 MiB, one in ten 100-400 MiB, one in ten empty: sizes in bytes. */
    private static PartitionBytes randomSizes(Random random, ClusterState state) {
        Map<String, Long> sizes = new HashMap<>();
        for (PartitionState partition : state.partitions()) {
            int kind = random.nextInt(10);
            long size = kind == 0 ? 0 : kind < 9 ? (1L << 20) * (1 + random.nextInt(100)) : (1L << 20) * (100 + random.nextInt(300));
            sizes.put(partition.name(), size);
        }
        return PartitionBytes.of(sizes);
    }

    /** Up to 3 pins on anchors' units, with nodes of the unit's group (the primary first). */
    private static void addPins(Random random, SpecBuilder builder, ClusterState state, List<String> description) {
        ClusterSpec spec = builder.build();
        List<TableSpec> anchors = spec.tables().stream().filter(table -> table.colocateWith().isEmpty()).toList();
        Map<String, String> groupOf = spec.nodes().stream().collect(Collectors.toMap(NodeSpec::name, NodeSpec::replicationGroup));
        int pins = random.nextInt(4);
        for (int pin = 0; pin < pins; pin++) {
            TableSpec table = anchors.get(random.nextInt(anchors.size()));
            PartitionState partition = state.partition(table.name(), random.nextInt(table.partitions())).orElseThrow();
            List<String> nodes = new ArrayList<>(spec.nodes().stream().map(NodeSpec::name)
                    .filter(node -> groupOf.get(node).equals(groupOf.get(partition.node()))).toList());
            java.util.Collections.shuffle(nodes, random);
            List<String> chosen = nodes.subList(0, 1 + random.nextInt(table.redundancy() + 1));
            builder.pin(table.name(), partition.index(), chosen.toArray(String[]::new));
            description.add(partition.name() + " pinned to " + chosen);
        }
    }

    /** Used by {@link SizeLayout}: a pin as the test reads it from the spec. */
    static List<String> pinNodes(PartitionPin pin) {
        List<String> nodes = new ArrayList<>(List.of(pin.primary()));
        nodes.addAll(pin.replicas());
        return nodes;
    }
}
