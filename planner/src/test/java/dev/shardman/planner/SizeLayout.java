package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A state's units (anchor partitions with their colocated siblings) as {@link SizePlanPropertiesTest} checks them:
 * where each copy is, what it weighs, what is pinned; and the size bands computed from the spec, independently of the
 * planner.
 */
final class SizeLayout {
    /** {@code replicasBefore}: where the unit's replicas were in the starting state (a primary may not move there). */
    private record Unit(String name, long bytes, String primary, List<String> replicas, List<String> replicasBefore, PartitionPin pin) {
    }

    private final ClusterSpec spec;
    private final List<Unit> units = new ArrayList<>();
    private final Map<String, String> groupOf = new HashMap<>();

    private SizeLayout(ClusterSpec spec) {
        this.spec = spec;
        spec.nodes().stream().filter(node -> !node.lost()).forEach(node -> groupOf.put(node.name(), node.replicationGroup()));
    }

    static SizeLayout of(ClusterState state, ClusterSpec spec, ClusterState before) {
        SizeLayout layout = new SizeLayout(spec);
        Map<String, List<String>> replicas = replicaNodes(state);
        Map<String, List<String>> replicasBefore = replicaNodes(before);
        for (TableSpec anchor : spec.tables().stream().filter(table -> table.colocateWith().isEmpty()).toList()) {
            List<TableSpec> members = spec.tables().stream().filter(table -> table.name().equals(anchor.name())
                    || table.colocateWith().filter(anchor.name()::equals).isPresent()).toList();
            for (int index = 0; index < anchor.partitions(); index++) {
                PartitionState partition = state.partition(anchor.name(), index).orElseThrow();
                long bytes = spec.settings().balance().baseBytes();
                for (TableSpec member : members) {
                    PartitionState sibling = state.partition(member.name(), index).orElseThrow();
                    assertEquals(partition.node(), sibling.node(), sibling.name() + " is not with its anchor");
                    assertEquals(replicas.getOrDefault(partition.name(), List.of()).stream().sorted().toList(),
                            replicas.getOrDefault(sibling.name(), List.of()).stream().sorted().toList(), sibling.name() + " replicas");
                    bytes += state.partitionBytes().of(sibling.name()).orElseThrow();
                }
                int partitionIndex = index;
                PartitionPin pin = anchor.placement().stream().filter(candidate -> candidate.partition() == partitionIndex).findFirst().orElse(null);
                layout.units.add(new Unit(partition.name(), bytes, partition.node(), replicas.getOrDefault(partition.name(), List.of()),
                        replicasBefore.getOrDefault(partition.name(), List.of()), pin));
            }
        }
        return layout;
    }

    private static Map<String, List<String>> replicaNodes(ClusterState state) {
        Map<String, List<String>> replicas = new HashMap<>();
        for (ReplicaState replica : state.replicas()) {
            replicas.computeIfAbsent(replica.partition(), key -> new ArrayList<>()).add(replica.node());
        }
        return replicas;
    }

    void assertPinsHonouredAndCopiesDistinct(String context) {
        for (Unit unit : units) {
            assertFalse(unit.replicas().contains(unit.primary()), context + ": " + unit.name() + " has a replica on its primary's node");
            assertEquals(unit.replicas().size(), unit.replicas().stream().distinct().count(), context + ": " + unit.name() + " two replicas on one node");
            unit.replicas().forEach(node -> assertEquals(groupOf.get(unit.primary()), groupOf.get(node), context + ": " + unit.name() + " crosses groups"));
            if (unit.pin() != null) {
                assertEquals(unit.pin().primary(), unit.primary(), context + ": " + unit.name() + " primary not on its pin");
                unit.pin().replicas().forEach(node -> assertTrue(unit.replicas().contains(node), context + ": " + unit.name() + " no replica on " + node));
            }
        }
    }

    /** Whether every node of every group and role is inside its band; if not, asserts that no single move gets closer. */
    boolean withinBands(String context) {
        boolean within = true;
        for (String group : new TreeMap<>(groupOf).values().stream().distinct().sorted().toList()) {
            List<String> nodes = groupOf.keySet().stream().filter(node -> groupOf.get(node).equals(group)).sorted().toList();
            within &= roleWithinBands(context + ", group " + group + " primaries", nodes, true);
            within &= roleWithinBands(context + ", group " + group + " replicas", nodes, false);
        }
        return within;
    }

    private boolean roleWithinBands(String context, List<String> nodes, boolean primaries) {
        Map<String, Long> load = new HashMap<>();
        Map<String, Long> pinned = new HashMap<>();
        nodes.forEach(node -> load.put(node, 0L));
        for (Unit unit : units) {
            for (String node : copies(unit, primaries)) {
                if (load.containsKey(node)) {
                    load.merge(node, unit.bytes(), Long::sum);
                    if (pinnedHere(unit, node, primaries)) {
                        pinned.merge(node, unit.bytes(), Long::sum);
                    }
                }
            }
        }
        Map<String, long[]> bands = bands(nodes, load, pinned);
        long excess = excess(bands, load);
        if (excess == 0) {
            return true;
        }
        for (Unit unit : units) {
            for (String from : copies(unit, primaries)) {
                if (!load.containsKey(from) || pinnedHere(unit, from, primaries)) {
                    continue;
                }
                for (String to : nodes) {
                    if (to.equals(from) || to.equals(unit.primary()) || unit.replicas().contains(to) || primaries && unit.replicasBefore().contains(to)) {
                        continue;
                    }
                    Map<String, Long> after = new HashMap<>(load);
                    after.merge(from, -unit.bytes(), Long::sum);
                    after.merge(to, unit.bytes(), Long::sum);
                    assertTrue(excess(bands, after) >= excess, context + ": moving " + unit.name() + " from " + from + " to " + to
                            + " would bring the nodes closer to their bands " + bands.entrySet().stream().map(entry -> entry.getKey() + "="
                            + load.get(entry.getKey()) + " in [" + entry.getValue()[0] + ", " + entry.getValue()[1] + "]").toList());
                }
            }
        }
        return false;
    }

    private static List<String> copies(Unit unit, boolean primaries) {
        return primaries ? List.of(unit.primary()) : unit.replicas();
    }

    private static boolean pinnedHere(Unit unit, String node, boolean primaries) {
        return unit.pin() != null && (primaries ? unit.pin().primary().equals(node) : unit.pin().replicas().contains(node));
    }

    /** Per node [lower, upper]: the weighted share of the role's bytes ± tolerance; nodes whose pins exceed their share are capped at them. */
    private Map<String, long[]> bands(List<String> nodes, Map<String, Long> load, Map<String, Long> pinned) {
        Map<String, long[]> bands = new HashMap<>();
        List<String> active = new ArrayList<>(nodes);
        long remaining = load.values().stream().mapToLong(Long::longValue).sum();
        boolean capped = true;
        while (capped) {
            long weightSum = active.stream().mapToLong(this::weight).sum();
            long share = remaining;
            List<String> over = active.stream().filter(node -> BigInteger.valueOf(pinned.getOrDefault(node, 0L)).multiply(BigInteger.valueOf(weightSum))
                    .compareTo(BigInteger.valueOf(share).multiply(BigInteger.valueOf(weight(node)))) > 0).toList();
            for (String node : over) {
                long pins = pinned.get(node);
                bands.put(node, new long[] {pins, pins});
                remaining -= pins;
            }
            active.removeAll(over);
            capped = !over.isEmpty();
        }
        long weightSum = active.stream().mapToLong(this::weight).sum();
        int tolerance = spec.settings().balance().tolerancePercent();
        for (String node : active) {
            long share = BigInteger.valueOf(remaining).multiply(BigInteger.valueOf(weight(node))).divide(BigInteger.valueOf(weightSum)).longValueExact();
            long slack = BigInteger.valueOf(share).multiply(BigInteger.valueOf(tolerance)).divide(BigInteger.valueOf(100)).longValueExact();
            bands.put(node, new long[] {share - slack, share + slack});
        }
        return bands;
    }

    private long weight(String node) {
        NodeSpec spec = this.spec.node(node).orElseThrow();
        return spec.weight().setScale(3, RoundingMode.HALF_UP).movePointRight(3).longValueExact();
    }

    private static long excess(Map<String, long[]> bands, Map<String, Long> load) {
        long excess = 0;
        for (Map.Entry<String, long[]> band : bands.entrySet()) {
            long held = load.get(band.getKey());
            excess += Math.max(0, held - band.getValue()[1]) + Math.max(0, band.getValue()[0] - held);
        }
        return excess;
    }
}
