package dev.shardman.planner.placement;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedSet;
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
    /** Units queued by {@link #append}, per node, until {@link #finishAppending}. */
    private final Map<String, List<UnitKey>> appended = new HashMap<>();
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

    /**
     * Bulk loading: queues {@code unit} for {@code node}; each node's units must come in ascending order, and
     * {@link #finishAppending} must follow before any other use. Builds each node's set in linear time
     * (no comparisons, no rebalancing), which matters at hundreds of thousands of units.
     */
    void append(String node, UnitKey unit) {
        List<UnitKey> queued = appended.computeIfAbsent(node, key -> new ArrayList<>());
        if (!queued.isEmpty() && queued.get(queued.size() - 1).compareTo(unit) >= 0) {
            throw new IllegalArgumentException("units appended out of order on " + node + ": " + unit + " after " + queued.get(queued.size() - 1));
        }
        queued.add(unit);
    }

    /** Files the appended units (see {@link #append}). */
    void finishAppending() {
        appended.forEach((node, units) -> {
            if (!byNode.get(node).isEmpty()) {
                units.forEach(unit -> add(node, unit));
                return;
            }
            byNode.put(node, new TreeSet<>(new SortedListView<>(units)));
            counts.put(node, units.size());
            fileRoots(node, units);
        });
        appended.clear();
    }

    /** Counts the roots of a node's first units (in unit order, so roots come sorted: each bucket is built in linear time). */
    private void fileRoots(String node, List<UnitKey> units) {
        HashMap<String, Integer> perRoot = rootCounts.get(node);
        Map<Integer, List<String>> byCount = new HashMap<>();
        for (int start = 0, end; start < units.size(); start = end) {
            String root = units.get(start).root();
            for (end = start + 1; end < units.size() && units.get(end).root().equals(root); end++) {
            }
            perRoot.put(root, end - start);
            byCount.computeIfAbsent(end - start, count -> new ArrayList<>()).add(root);
        }
        byCount.forEach((count, roots) -> rootsByCount.get(node).put(count, new TreeSet<>(new SortedListView<>(roots))));
    }

    /**
     * A sorted list seen as a {@link SortedSet} with natural ordering, only so that {@code new TreeSet<>(view)}
     * takes its linear-time path for sorted input; nothing else is supported.
     */
    private static final class SortedListView<T extends Comparable<T>> extends AbstractSet<T> implements SortedSet<T> {
        private final List<T> elements;

        SortedListView(List<T> elements) {
            this.elements = elements;
        }

        @Override
        public Iterator<T> iterator() {
            return elements.iterator();
        }

        @Override
        public int size() {
            return elements.size();
        }

        @Override
        public Comparator<? super T> comparator() {
            return null;
        }

        @Override
        public T first() {
            return elements.get(0);
        }

        @Override
        public T last() {
            return elements.get(elements.size() - 1);
        }

        @Override
        public SortedSet<T> subSet(T fromElement, T toElement) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<T> headSet(T toElement) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<T> tailSet(T fromElement) {
            throw new UnsupportedOperationException();
        }
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

    /** How many units of each root {@code node} holds (absent: none; a live, read-only view for scans). */
    Map<String, Integer> countsByRootOn(String node) {
        return Collections.unmodifiableMap(rootCounts.get(node));
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
