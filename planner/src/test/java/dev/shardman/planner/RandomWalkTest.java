package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.planner.render.TextPlanRenderer;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.shardman.planner.support.Scenarios.ALLOW_ALL;
import static dev.shardman.planner.support.Scenarios.applyAndCheckIdempotent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random walks over membership and table changes: after every plan the resulting state keeps
 * the invariants, every group is balanced (±1 per node, primaries and replicas, units summed over
 * tables), planning again is empty, and planning twice gives the same text.
 */
class RandomWalkTest {
    private static final int GROUPS = 2;

    @RepeatedTest(12)
    void walk(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<List<String>> live = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        int nextNode = 0;
        for (int group = 0; group < GROUPS; group++) {
            live.add(new ArrayList<>());
            for (int i = 0; i < 3; i++) {
                live.get(group).add("n" + nextNode++);
            }
        }
        Map<String, Integer> tables = new TreeMap<>();
        tables.put("a", 1);
        int partitions = 8 + random.nextInt(20);
        boolean colocated = random.nextBoolean();
        ClusterState state = ClusterState.empty();
        for (int round = 0; round < 6; round++) {
            ClusterSpec spec = spec(live, lost, tables, partitions, colocated);
            Plan plan = Planner.plan(spec, state, ALLOW_ALL);
            assertEquals(TextPlanRenderer.render(plan, false), TextPlanRenderer.render(Planner.plan(spec, state, ALLOW_ALL), false));
            state = applyAndCheckIdempotent(spec, state, plan, ALLOW_ALL);
            assertBalancedUnits(state, colocated);
            int group = random.nextInt(GROUPS);
            switch (random.nextInt(5)) {
                case 0, 1 -> live.get(group).add("n" + nextNode++);
                case 2 -> {
                    if (live.get(group).size() > 3) {
                        live.get(group).remove(random.nextInt(live.get(group).size()));
                    }
                }
                case 3 -> {
                    if (live.get(group).size() > 3) {
                        lost.add(live.get(group).remove(random.nextInt(live.get(group).size())) + "@" + group);
                    }
                }
                default -> tables.put("a", 1 + random.nextInt(2));
            }
        }
    }

    private static ClusterSpec spec(List<List<String>> live, List<String> lost, Map<String, Integer> tables, int partitions, boolean colocated) {
        SpecBuilder builder = SpecBuilder.cluster();
        for (int group = 0; group < live.size(); group++) {
            for (String node : live.get(group)) {
                builder.node(node, "rg" + group);
            }
        }
        for (String entry : lost) {
            String[] parts = entry.split("@");
            builder.lostNode(parts[0], "rg" + parts[1]);
        }
        int redundancy = tables.get("a");
        builder.sharded("a", partitions, redundancy).sharded("b", partitions / 2 + 1, redundancy);
        if (colocated) {
            builder.colocated("c", "a", partitions, redundancy);
        }
        return builder.build();
    }

    /** Units (colocation roots' partitions) per node within each group differ by at most one, for primaries and for replicas. */
    private static void assertBalancedUnits(ClusterState state, boolean colocated) {
        Map<String, String> groupOf = new HashMap<>();
        Map<String, Map<String, Integer>> primaries = new TreeMap<>();
        Map<String, Map<String, Integer>> replicas = new TreeMap<>();
        for (NodeState node : state.nodes()) {
            groupOf.put(node.name(), node.replicationGroup());
            if (!node.lost()) {
                primaries.computeIfAbsent(node.replicationGroup(), group -> new TreeMap<>()).put(node.name(), 0);
                replicas.computeIfAbsent(node.replicationGroup(), group -> new TreeMap<>()).put(node.name(), 0);
            }
        }
        for (PartitionState partition : state.partitions()) {
            if (!partition.table().equals("c")) {
                primaries.get(groupOf.get(partition.node())).merge(partition.node(), 1, Integer::sum);
            }
        }
        for (ReplicaState replica : state.replicas()) {
            if (!replica.partition().startsWith("c_")) {
                replicas.get(groupOf.get(replica.node())).merge(replica.node(), 1, Integer::sum);
            }
        }
        for (Map<String, Map<String, Integer>> role : List.of(primaries, replicas)) {
            role.forEach((group, counts) -> {
                int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
                assertTrue(max - min <= 1, "group " + group + " unbalanced: " + counts);
            });
        }
        if (colocated) {
            Map<Integer, String> anchor = new HashMap<>();
            state.partitionsOf("a").forEach(partition -> anchor.put(partition.index(), partition.node()));
            state.partitionsOf("c").forEach(partition -> assertEquals(anchor.get(partition.index()), partition.node()));
        }
    }
}
