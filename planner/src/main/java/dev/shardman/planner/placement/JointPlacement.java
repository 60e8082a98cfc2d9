package dev.shardman.planner.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Places the primaries and replicas of one replication group together, for the groups where balancing
 * primaries first and replicas second ({@link GroupBalancer}) leaves a role unbalanced: the primaries
 * it chose can leave the replicas no balanced placement (say a new table's primaries all on a new node:
 * their replicas cannot go there).
 *
 * <p>The model is the one plans can carry out: a primary stays, or goes to a node that keeps no replica
 * of it (primary moves run before replica moves); replicas go anywhere but their primary's node, one per
 * node. Two min-cost flows, primaries then replicas. The primary flow is capped so that the replicas can
 * still be balanced: with R replica copies on k nodes (each node ⌊R/k⌋ or one more), the replicas of the
 * units of redundancy ≥ t need, on any t nodes, room for the copies that only fit there; a node that
 * holds the primaries of many such units has no room left for their replicas. Per node and per
 * redundancy t, the primaries of units of redundancy ≥ t are capped at ⌊S_t / t⌋ with
 * S_t = Σ_u min(r_u, t) − t·⌊R/k⌋ − max(0, R mod k − (k − t)) (Hall's condition of the replica flow,
 * spread evenly). If the capped flow has no balanced solution, the caps for 1 &lt; t &lt; k − 1 are dropped
 * and it tries again; the replica flow checks the result. Moves are the fewest under those caps (primary
 * moves first, then replica moves), not necessarily the fewest overall.
 */
final class JointPlacement {
    /** One unit of the group as it was before balancing. */
    record Unit(UnitKey key, String primary, Unplaced unplacedPrimary, Set<String> keptReplicas, List<Unplaced> unplacedReplicas) {
        int redundancy() {
            return keptReplicas.size() + unplacedReplicas.size();
        }
    }

    /** Where each unit's primary and replicas end up. */
    record Result(Map<UnitKey, String> primaries, Map<UnitKey, TreeSet<String>> replicas) {
    }

    private JointPlacement() {
    }

    /** A balanced placement of both roles, or null when these flows find none. */
    static Result place(List<String> nodes, List<Unit> units) {
        for (Caps caps : Caps.values()) {
            Map<UnitKey, String> primaries = primaries(nodes, units, caps);
            if (primaries != null) {
                Map<UnitKey, TreeSet<String>> replicas = replicas(nodes, units, primaries);
                if (replicas != null) {
                    return new Result(primaries, replicas);
                }
            }
        }
        return null;
    }

    /** How the primary flow is capped, tightest first. */
    private enum Caps { EVEN, ROUNDED_UP, NONE, SPREAD_FIRST }

    /**
     * Whether the primaries alone have a balanced placement that keeps each off the nodes keeping its replicas.
     * When they have none, no plan can balance the group: a primary may only move to a node without a copy of it.
     */
    static boolean primariesCanBalance(List<String> nodes, List<Unit> units) {
        return primaries(nodes, units, Caps.NONE) != null;
    }

    private static Map<UnitKey, String> primaries(List<String> nodes, List<Unit> units, Caps caps) {
        int k = nodes.size();
        int maxRedundancy = units.stream().mapToInt(Unit::redundancy).max().orElse(0);
        long replicaTotal = units.stream().mapToLong(Unit::redundancy).sum();
        long replicaBase = replicaTotal / k;
        long replicaExtra = replicaTotal % k;
        int source = 0;
        int sink = 1;
        int extra = 2;
        int firstUnit = 3;
        int levels = maxRedundancy + 1;
        // A unit of a redundancy class on a node costs as much as the units of that class already there: ties
        // between placements with as few moves spread each class over the nodes. A move costs more than all of
        // that together (moves first), except in the last attempt, where spreading comes first.
        long spreadTotal = 1;
        for (int t = 1; t <= maxRedundancy; t++) {
            final int level = t;
            long classSize = units.stream().filter(unit -> unit.redundancy() >= level).count();
            spreadTotal += classSize * classSize;
        }
        long moveCost = caps == Caps.SPREAD_FIRST ? 1 : spreadTotal;
        long spreadWeight = units.size() + 1L;
        int firstSlot = firstUnit + units.size();
        MinCostFlow flow = new MinCostFlow(firstSlot + k * levels);
        for (int i = 0; i < k; i++) {
            int slot0 = firstSlot + i * levels;
            flow.edge(slot0, sink, units.size() / k, 0L);
            flow.edge(slot0, extra, 1, 0);
            for (int t = 1; t <= maxRedundancy; t++) {
                final int level = t;
                long reach = units.stream().mapToLong(unit -> Math.min(unit.redundancy(), level)).sum();
                long room = reach - t * replicaBase - Math.max(0, replicaExtra - (k - t));
                long cap = switch (caps) {
                    case EVEN -> room / t;
                    case ROUNDED_UP -> (room + t - 1) / t;
                    case NONE, SPREAD_FIRST -> units.size();
                };
                int classSize = (int) units.stream().filter(unit -> unit.redundancy() >= level).count();
                for (int j = 0; j < Math.min(Math.max(0, cap), classSize); j++) {
                    flow.edge(slot0 + t, slot0 + t - 1, 1, caps == Caps.SPREAD_FIRST ? j * spreadWeight : j);
                }
            }
        }
        flow.edge(extra, sink, units.size() % k, 0);
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            flow.edge(source, firstUnit + u, 1, 0);
            for (int i = 0; i < k; i++) {
                String node = nodes.get(i);
                if (!unit.keptReplicas().contains(node)) {
                    long cost = unit.primary() == null || unit.primary().equals(node) ? 0 : moveCost;
                    flow.edge(firstUnit + u, firstSlot + i * levels + unit.redundancy(), 1, cost);
                }
            }
        }
        if (flow.run(source, sink) < units.size()) {
            return null;
        }
        Map<UnitKey, String> primaries = new HashMap<>();
        for (int u = 0; u < units.size(); u++) {
            int vertex = flow.usedTarget(firstUnit + u);
            primaries.put(units.get(u).key(), nodes.get((vertex - firstSlot) / levels));
        }
        return primaries;
    }

    private static Map<UnitKey, TreeSet<String>> replicas(List<String> nodes, List<Unit> units, Map<UnitKey, String> primaries) {
        int k = nodes.size();
        long total = units.stream().mapToLong(Unit::redundancy).sum();
        int source = 0;
        int sink = 1;
        int extra = 2;
        int firstNode = 3;
        int firstUnit = firstNode + k;
        MinCostFlow flow = new MinCostFlow(firstUnit + units.size());
        for (int i = 0; i < k; i++) {
            flow.edge(firstNode + i, sink, (int) (total / k), 0);
            flow.edge(firstNode + i, extra, 1, 0);
        }
        flow.edge(extra, sink, (int) (total % k), 0);
        List<int[]> unitEdges = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            flow.edge(source, firstUnit + u, unit.redundancy(), 0);
            int[] edges = new int[k];
            Arrays.fill(edges, -1);
            for (int i = 0; i < k; i++) {
                String node = nodes.get(i);
                if (!node.equals(primaries.get(unit.key()))) {
                    edges[i] = flow.edge(firstUnit + u, firstNode + i, 1, unit.keptReplicas().contains(node) ? 0L : 1L);
                }
            }
            unitEdges.add(edges);
        }
        if (flow.run(source, sink) < total) {
            return null;
        }
        Map<UnitKey, TreeSet<String>> replicas = new HashMap<>();
        for (int u = 0; u < units.size(); u++) {
            TreeSet<String> held = new TreeSet<>();
            int[] edges = unitEdges.get(u);
            for (int i = 0; i < k; i++) {
                if (edges[i] >= 0 && flow.used(edges[i])) {
                    held.add(nodes.get(i));
                }
            }
            replicas.put(units.get(u).key(), held);
        }
        return replicas;
    }

    /** Successive shortest paths with a Bellman-Ford queue; edges in insertion order, so results are deterministic. */
    private static final class MinCostFlow {
        private final int[] head;
        private final List<int[]> edges = new ArrayList<>();
        private final List<Long> costs = new ArrayList<>();
        private final int vertices;

        MinCostFlow(int vertices) {
            this.vertices = vertices;
            this.head = new int[vertices];
            Arrays.fill(head, -1);
        }

        /** Adds an edge and returns its index. Edge layout: {to, residual capacity, unused, next, original capacity}; costs apart. */
        int edge(int from, int to, int capacity, long cost) {
            edges.add(new int[] {to, capacity, 0, head[from], capacity});
            costs.add(cost);
            head[from] = edges.size() - 1;
            edges.add(new int[] {from, 0, 0, head[to], 0});
            costs.add(-cost);
            head[to] = edges.size() - 1;
            return edges.size() - 2;
        }

        boolean used(int edge) {
            return edges.get(edge)[1] < edges.get(edge)[4];
        }

        /** The head of the one used outgoing edge of a vertex with one unit of inflow. */
        int usedTarget(int vertex) {
            for (int e = head[vertex]; e != -1; e = edges.get(e)[3]) {
                if (edges.get(e)[4] > 0 && used(e)) {
                    return edges.get(e)[0];
                }
            }
            throw new IllegalStateException("no flow leaves vertex " + vertex);
        }

        long run(int source, int sink) {
            long flow = 0;
            while (true) {
                long[] distance = new long[vertices];
                int[] via = new int[vertices];
                boolean[] queued = new boolean[vertices];
                Arrays.fill(distance, Long.MAX_VALUE);
                Arrays.fill(via, -1);
                java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
                distance[source] = 0;
                queue.add(source);
                while (!queue.isEmpty()) {
                    int vertex = queue.poll();
                    queued[vertex] = false;
                    for (int e = head[vertex]; e != -1; e = edges.get(e)[3]) {
                        int[] edge = edges.get(e);
                        if (edge[1] > 0 && distance[vertex] + costs.get(e) < distance[edge[0]]) {
                            distance[edge[0]] = distance[vertex] + costs.get(e);
                            via[edge[0]] = e;
                            if (!queued[edge[0]]) {
                                queued[edge[0]] = true;
                                queue.add(edge[0]);
                            }
                        }
                    }
                }
                if (distance[sink] == Long.MAX_VALUE) {
                    return flow;
                }
                int push = Integer.MAX_VALUE;
                for (int vertex = sink; vertex != source; vertex = edges.get(via[vertex] ^ 1)[0]) {
                    push = Math.min(push, edges.get(via[vertex])[1]);
                }
                for (int vertex = sink; vertex != source; vertex = edges.get(via[vertex] ^ 1)[0]) {
                    edges.get(via[vertex])[1] -= push;
                    edges.get(via[vertex] ^ 1)[1] += push;
                }
                flow += push;
            }
        }
    }
}
