package dev.shardman.planner.placement;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each node's byte target for one role of one group and the band around it: the node's weight-proportional share
 * of the role's bytes, ± the tolerance. A node whose pinned bytes alone exceed its share is capped at them (its band
 * is exactly its pins: it keeps them and gives everything else away), and the others share the rest; this repeats
 * until no node is over, as {@link Targets} does for counts. Integer arithmetic (weights in thousandths), so the same
 * inputs give the same targets.
 */
final class SizeTargets {
    private final Map<String, Long> lower = new HashMap<>();
    private final Map<String, Long> upper = new HashMap<>();
    private final Map<String, Long> target = new HashMap<>();

    private SizeTargets() {
    }

    /**
     * @param pinned each node's pinned bytes (absent: none)
     * @param weights each node's weight in thousandths (absent: 1000)
     * @param total the bytes the role's copies hold in the group, pinned ones included
     */
    static SizeTargets compute(List<String> nodes, Map<String, Long> pinned, Map<String, Long> weights, long total, int tolerancePercent) {
        SizeTargets targets = new SizeTargets();
        List<String> active = new ArrayList<>(nodes);
        long remaining = total;
        boolean changed = true;
        while (changed) {
            BigInteger weightSum = BigInteger.valueOf(active.stream().mapToLong(node -> weight(weights, node)).sum());
            BigInteger share = BigInteger.valueOf(remaining);
            List<String> over = active.stream().filter(node -> BigInteger.valueOf(pinned.getOrDefault(node, 0L)).multiply(weightSum)
                    .compareTo(share.multiply(BigInteger.valueOf(weight(weights, node)))) > 0).toList();
            for (String node : over) {
                long pins = pinned.get(node);
                targets.put(node, pins, pins, pins);
                remaining -= pins;
            }
            active.removeAll(over);
            changed = !over.isEmpty();
        }
        BigInteger weightSum = BigInteger.valueOf(active.stream().mapToLong(node -> weight(weights, node)).sum());
        for (String node : active) {
            long share = BigInteger.valueOf(remaining).multiply(BigInteger.valueOf(weight(weights, node))).divide(weightSum).longValueExact();
            long slack = share / 100 * tolerancePercent + share % 100 * tolerancePercent / 100;
            targets.put(node, share, share - slack, share + slack);
        }
        return targets;
    }

    private static long weight(Map<String, Long> weights, String node) {
        return weights.getOrDefault(node, Steering.EVEN_WEIGHT);
    }

    private void put(String node, long share, long low, long high) {
        target.put(node, share);
        lower.put(node, low);
        upper.put(node, high);
    }

    long target(String node) {
        return target.get(node);
    }

    long lower(String node) {
        return lower.get(node);
    }

    long upper(String node) {
        return upper.get(node);
    }

    /** How far {@code load} lies outside the node's band (0 inside it). */
    long excess(String node, long load) {
        return Math.max(0, load - upper(node)) + Math.max(0, lower(node) - load);
    }
}
