package dev.shardman.planner.placement;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The units each node of one replication group holds in one role (primaries, or replicas), indexed by
 * node and by colocation root so that balancing never scans all units.
 */
final class Holdings {
    private final Map<String, TreeMap<String, TreeSet<UnitKey>>> byNode = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, HashMap<String, Integer>> rootCounts = new HashMap<>();
    /** Per node: its roots by how many units of each it holds, most first, then by name. */
    private final Map<String, TreeMap<Integer, TreeSet<String>>> rootsByCount = new HashMap<>();

    Holdings(List<String> nodes) {
        nodes.forEach(node -> {
            byNode.put(node, new TreeMap<>());
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
        if (byNode.get(node).computeIfAbsent(unit.root(), root -> new TreeSet<>()).add(unit)) {
            counts.merge(node, 1, Integer::sum);
            int held = rootCounts.get(node).merge(unit.root(), 1, Integer::sum);
            refile(node, unit.root(), held - 1, held);
        }
    }

    void remove(String node, UnitKey unit) {
        TreeMap<String, TreeSet<UnitKey>> roots = byNode.get(node);
        if (roots == null) {
            return;
        }
        TreeSet<UnitKey> units = roots.get(unit.root());
        if (units != null && units.remove(unit)) {
            counts.merge(node, -1, Integer::sum);
            Integer held = rootCounts.get(node).merge(unit.root(), -1, (left, right) -> left + right == 0 ? null : left + right);
            refile(node, unit.root(), held == null ? 1 : held + 1, held == null ? 0 : held);
            if (units.isEmpty()) {
                roots.remove(unit.root());
            }
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

    /** The roots of which {@code node} holds units, with the units (live views: do not modify while iterating). */
    TreeMap<String, TreeSet<UnitKey>> rootsOn(String node) {
        return byNode.get(node);
    }
}
