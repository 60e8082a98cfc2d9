package dev.shardman.planner.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * How many copies of one role each node of one group should hold: {@code floor} or {@code floor + 1}, where
 * floor is the whole part of the node's weight-proportional share. A node whose pinned copies alone exceed its
 * share is capped at them (it keeps its pins and nothing else), and the others share the rest; this repeats
 * until no node is over. The extra slots (total − Σ floor) go to the nodes holding most above their floor, ties
 * by name, which keeps the moves fewest. With even weights and no pins: ⌊U/k⌋, plus one for the U mod k nodes
 * that hold most. Weights are in thousandths (so that the arithmetic is exact and deterministic).
 */
final class Targets {
    private final Map<String, Long> floor = new HashMap<>();
    private final Map<String, Long> target = new HashMap<>();
    private final Set<String> capped = new HashSet<>();

    private Targets() {
    }

    /**
     * @param load what each node holds now, pinned copies included
     * @param pinned each node's pinned copies (absent: none)
     * @param weights each node's weight in thousandths (absent: 1000)
     * @param total the copies the group will hold (held, pinned and waiting for a node)
     */
    static Targets compute(List<String> nodes, ToIntFunction<String> load, Map<String, Integer> pinned, Map<String, Long> weights, long total) {
        Targets targets = new Targets();
        List<String> active = new ArrayList<>(nodes);
        long remaining = total;
        boolean changed = true;
        while (changed) {
            long weightSum = active.stream().mapToLong(node -> weights.getOrDefault(node, 1000L)).sum();
            long share = remaining;
            List<String> over = active.stream()
                    .filter(node -> pinned.getOrDefault(node, 0) * weightSum > share * weights.getOrDefault(node, 1000L)).toList();
            for (String node : over) {
                long pins = pinned.get(node);
                targets.floor.put(node, pins);
                targets.target.put(node, pins);
                targets.capped.add(node);
                remaining -= pins;
            }
            active.removeAll(over);
            changed = !over.isEmpty();
        }
        targets.share(active, load, weights, remaining);
        return targets;
    }

    private void share(List<String> active, ToIntFunction<String> load, Map<String, Long> weights, long remaining) {
        long weightSum = active.stream().mapToLong(node -> weights.getOrDefault(node, 1000L)).sum();
        long extra = remaining;
        for (String node : active) {
            long nodeFloor = remaining * weights.getOrDefault(node, 1000L) / weightSum;
            floor.put(node, nodeFloor);
            target.put(node, nodeFloor);
            extra -= nodeFloor;
        }
        List<String> byExcess = active.stream()
                .sorted(Comparator.<String>comparingLong(node -> load.applyAsInt(node) - floor.get(node)).reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (int index = 0; index < extra; index++) {
            String node = byExcess.get(index);
            target.put(node, floor.get(node) + 1);
        }
    }

    long floor(String node) {
        return floor.get(node);
    }

    long target(String node) {
        return target.get(node);
    }

    /** A node whose pins exceed its share: its target is its pins, and it takes no extra slot. */
    boolean capped(String node) {
        return capped.contains(node);
    }

    /** Whether {@code held} is within the node's tolerance: its floor, or one more unless capped. */
    boolean accepts(String node, long held) {
        return held >= floor(node) && held <= floor(node) + (capped(node) ? 0 : 1);
    }
}
