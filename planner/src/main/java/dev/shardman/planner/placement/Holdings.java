package dev.shardman.planner.placement;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The units each node of one replication group holds in one role (primaries, or replicas), indexed by
 * node and by colocation root so that balancing never scans all units. Per node: one set of units in
 * unit order (root, then index), so a root's units are a contiguous range of it; the count per root;
 * and the roots grouped by that count.
 */
final class Holdings {
    private final Map<String, TreeSet<UnitKey>> byNode = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, HashMap<String, Integer>> rootCounts = new HashMap<>();
    /** Per node: its roots by how many units of each it holds, most first, then by name. */
    private final Map<String, TreeMap<Integer, TreeSet<String>>> rootsByCount = new HashMap<>();

    Holdings(List<String> nodes) {
        nodes.forEach(node -> {
            byNode.put(node, new TreeSet<>());
            counts.put(node, 0);
            rootCounts.put(node, new HashMap<>());
            rootsByCount.put(node, new TreeMap<>(Comparator.reverseOrder()));
        });
    }

    boolean tracks(String node) {
        return byNode.containsKey(node);
    }

    int count(String node) {
        return counts.getOrDefault(node, 0);
    }

    int count(String node, String root) {
        Integer count = rootCounts.get(node).get(root);
        return count == null ? 0 : count;
    }

    long total() {
        return counts.values().stream().mapToLong(Integer::longValue).sum();
    }

    void add(String node, UnitKey unit) {
        if (byNode.get(node).add(unit)) {
            counts.merge(node, 1, Integer::sum);
            int held = rootCounts.get(node).merge(unit.root(), 1, Integer::sum);
            refile(node, unit.root(), held - 1, held);
        }
    }

    void remove(String node, UnitKey unit) {
        TreeSet<UnitKey> units = byNode.get(node);
        if (units != null && units.remove(unit)) {
            counts.merge(node, -1, Integer::sum);
            Integer held = rootCounts.get(node).merge(unit.root(), -1, (left, right) -> left + right == 0 ? null : left + right);
            refile(node, unit.root(), held == null ? 1 : held + 1, held == null ? 0 : held);
        }
    }

    private void refile(String node, String root, int before, int after) {
        TreeMap<Integer, TreeSet<String>> buckets = rootsByCount.get(node);
        if (before > 0) {
            TreeSet<String> bucket = buckets.get(before);
            bucket.remove(root);
            if (bucket.isEmpty()) {
                buckets.remove(before);
            }
        }
        if (after > 0) {
            buckets.computeIfAbsent(after, count -> new TreeSet<>()).add(root);
        }
    }

    /** The roots of which {@code node} holds units, grouped by how many it holds, most first; names sorted (live view). */
    TreeMap<Integer, TreeSet<String>> rootsByCountOn(String node) {
        return rootsByCount.get(node);
    }

    /** The units {@code node} holds, by root then index (a live view: do not modify the holdings while iterating). */
    NavigableSet<UnitKey> unitsOn(String node) {
        return byNode.get(node);
    }

    /** The units of {@code root} that {@code node} holds, by index (a live view, as {@link #unitsOn}). */
    NavigableSet<UnitKey> unitsOn(String node, String root) {
        return byNode.get(node).subSet(new UnitKey(root, Integer.MIN_VALUE), true, new UnitKey(root, Integer.MAX_VALUE), true);
    }
}
