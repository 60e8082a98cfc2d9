package dev.shardman.planner.placement;

import org.jgrapht.Graph;
import org.jgrapht.alg.flow.mincost.CapacityScalingMinimumCostFlow;
import org.jgrapht.alg.flow.mincost.MinimumCostFlowProblem;
import org.jgrapht.alg.interfaces.MinimumCostFlowAlgorithm;
import org.jgrapht.graph.DirectedMultigraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Places the primaries and replicas of one replication group together, where balancing the roles one after the other
 * ({@link GroupBalancer}) leaves a role unbalanced or may not give the fewest replica moves. A best-first search over
 * per-node caps, each candidate a min-cost flow, finds the fewest primary moves that leave the replicas a balanced
 * placement (Hall's condition), or proves there is none; the replicas follow by min-cost flow. The model and the proof:
 * docs/internals/placement.md, "Joint placement".
 */
final class JointPlacement {
    /** Flows tried before the search gives up undecided (never reached in the property test's groups). */
    private static final int SEARCH_LIMIT = 20_000;

    /** One unit of the group as it was before balancing. */
    record Unit(UnitKey key, String primary, Unplaced unplacedPrimary, Set<String> keptReplicas, List<Unplaced> unplacedReplicas) {
        int redundancy() {
            return keptReplicas.size() + unplacedReplicas.size();
        }
    }

    /** Where each unit's primary and replicas end up. */
    record Result(Map<UnitKey, String> primaries, Map<UnitKey, TreeSet<String>> replicas) {
    }

    /** The search's answer: a placement; or none, {@code decided} when no balanced placement exists at all. */
    record Search(Result result, boolean decided) {
    }

    /** One search state: caps per node and redundancy class, and the least-cost primaries under them. */
    private record Candidate(int[][] caps, long cost, int[] nodeOf) {
    }

    private JointPlacement() {
    }

    /** A balanced placement of both roles with the fewest primary moves, then the fewest replica moves. */
    static Search place(List<String> nodes, List<Unit> units) {
        int k = nodes.size();
        int maxRedundancy = units.stream().mapToInt(Unit::redundancy).max().orElse(0);
        int[][] start = new int[k][maxRedundancy + 1];
        for (int[] row : start) {
            Arrays.fill(row, units.size());
        }
        java.util.PriorityQueue<Candidate> queue = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingLong(Candidate::cost).thenComparing(candidate -> Arrays.deepToString(candidate.caps())));
        Set<String> seen = new java.util.HashSet<>();
        offer(queue, seen, nodes, units, start);
        for (int tried = 0; !queue.isEmpty(); tried++) {
            if (tried == SEARCH_LIMIT) {
                return new Search(null, false);
            }
            Candidate candidate = queue.poll();
            int[][] counts = classCounts(k, maxRedundancy, units, candidate.nodeOf());
            int level = violatedClass(k, units, counts);
            if (level < 0) {
                Map<UnitKey, String> primaries = new HashMap<>();
                for (int u = 0; u < units.size(); u++) {
                    primaries.put(units.get(u).key(), nodes.get(candidate.nodeOf()[u]));
                }
                Map<UnitKey, TreeSet<String>> replicas = replicas(nodes, units, primaries);
                if (replicas == null) {
                    throw new IllegalStateException("replica flow infeasible although every Hall condition holds");
                }
                return new Search(new Result(primaries, replicas), true);
            }
            for (int node : mostLoaded(counts, level)) {
                int[][] caps = Arrays.stream(candidate.caps()).map(int[]::clone).toArray(int[][]::new);
                caps[node][level] = Math.min(caps[node][level], counts[node][level] - 1);
                offer(queue, seen, nodes, units, caps);
            }
        }
        return new Search(null, true);
    }

    private static void offer(java.util.PriorityQueue<Candidate> queue, Set<String> seen, List<String> nodes, List<Unit> units, int[][] caps) {
        if (seen.add(Arrays.deepToString(caps))) {
            Candidate candidate = primaries(nodes, units, caps);
            if (candidate != null) {
                queue.add(candidate);
            }
        }
    }

    /** The least-move replicas behind the given primaries (one for each unit), or null when they have no balanced placement. */
    static Result behind(List<String> nodes, List<Unit> units, Map<UnitKey, String> primaries) {
        if (units.stream().anyMatch(unit -> primaries.get(unit.key()) == null)) {
            return null;
        }
        Map<UnitKey, TreeSet<String>> replicas = replicas(nodes, units, primaries);
        return replicas == null ? null : new Result(Map.copyOf(primaries), replicas);
    }

    /** counts[i][t]: primaries on node i of units of redundancy ≥ t. */
    private static int[][] classCounts(int k, int maxRedundancy, List<Unit> units, int[] nodeOf) {
        int[][] counts = new int[k][maxRedundancy + 1];
        for (int u = 0; u < units.size(); u++) {
            for (int t = 0; t <= units.get(u).redundancy(); t++) {
                counts[nodeOf[u]][t]++;
            }
        }
        return counts;
    }

    /** The least class t whose t most loaded nodes break the replicas' Hall condition, or −1 when none does. */
    private static int violatedClass(int k, List<Unit> units, int[][] counts) {
        long replicaTotal = units.stream().mapToLong(Unit::redundancy).sum();
        long base = replicaTotal / k;
        long extra = replicaTotal % k;
        for (int t = 1; t < counts[0].length && t < k; t++) {
            final int level = t;
            long reach = units.stream().mapToLong(unit -> Math.min(unit.redundancy(), level)).sum();
            long room = reach - t * base - Math.max(0, extra - (k - t));
            long held = 0;
            for (int node : mostLoaded(counts, t)) {
                held += counts[node][t];
            }
            if (held > room) {
                return t;
            }
        }
        return -1;
    }

    /** The {@code t} nodes holding the most primaries of class {@code t} (ties: node order). */
    private static List<Integer> mostLoaded(int[][] counts, int t) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.<Integer>comparingInt(i -> -counts[i][t]).thenComparingInt(i -> i));
        return order.subList(0, t);
    }

    /** The least-cost balanced primaries under {@code caps} (caps[i][t] bounds node i's primaries of redundancy ≥ t), or null. */
    private static Candidate primaries(List<String> nodes, List<Unit> units, int[][] caps) {
        int k = nodes.size();
        int maxRedundancy = caps[0].length - 1;
        int levels = maxRedundancy + 1;
        List<List<Integer>> kinds = kinds(units, unit -> List.of(unit.redundancy(), String.valueOf(unit.primary()), unit.keptReplicas()));
        int source = 0;
        int sink = 1;
        int extra = 2;
        int firstKind = 3;
        int firstSlot = firstKind + kinds.size();
        // Beyond an even share of its redundancy class, each primary on a node costs 1: ties between placements
        // with as few moves spread each class over the nodes. A move costs more than all of that together.
        long moveCost = (long) units.size() * levels + 1;
        MinCostFlow flow = new MinCostFlow(firstSlot + k * levels);
        for (int i = 0; i < k; i++) {
            int slot0 = firstSlot + i * levels;
            flow.edge(slot0, sink, units.size() / k, 0L);
            flow.edge(slot0, extra, 1, 0);
            for (int t = 1; t <= maxRedundancy; t++) {
                final int level = t;
                int classSize = (int) units.stream().filter(unit -> unit.redundancy() >= level).count();
                int cap = Math.min(Math.max(0, caps[i][t]), classSize);
                int share = Math.min(cap, (classSize + k - 1) / k);
                flow.edge(slot0 + t, slot0 + t - 1, share, 0);
                flow.edge(slot0 + t, slot0 + t - 1, cap - share, 1);
            }
        }
        flow.edge(extra, sink, units.size() % k, 0);
        int[][] kindEdges = new int[kinds.size()][k];
        for (int c = 0; c < kinds.size(); c++) {
            Unit unit = units.get(kinds.get(c).get(0));
            flow.edge(source, firstKind + c, kinds.get(c).size(), 0);
            Arrays.fill(kindEdges[c], -1);
            for (int i = 0; i < k; i++) {
                String node = nodes.get(i);
                if (!unit.keptReplicas().contains(node)) {
                    long cost = unit.primary() == null || unit.primary().equals(node) ? 0 : moveCost;
                    kindEdges[c][i] = flow.edge(firstKind + c, firstSlot + i * levels + unit.redundancy(), kinds.get(c).size(), cost);
                }
            }
        }
        long[] result = flow.run(source, sink);
        if (result[0] < units.size()) {
            return null;
        }
        return new Candidate(caps, result[1], nodesOf(nodes, units, kinds, flow, kindEdges));
    }

    /** Each unit's node index as the flow carried its kind (a kind's units stay on their primary's node first). */
    private static int[] nodesOf(List<String> nodes, List<Unit> units, List<List<Integer>> kinds, MinCostFlow flow, int[][] kindEdges) {
        int k = nodes.size();
        int[] nodeOf = new int[units.size()];
        for (int c = 0; c < kinds.size(); c++) {
            List<Integer> members = kinds.get(c);
            String primary = units.get(members.get(0)).primary();
            int stay = primary == null ? -1 : nodes.indexOf(primary);
            List<Integer> targets = new ArrayList<>();
            if (stay >= 0 && kindEdges[c][stay] >= 0) {
                for (int n = flow.carried(kindEdges[c][stay]); n > 0; n--) {
                    targets.add(stay);
                }
            }
            for (int i = 0; i < k; i++) {
                for (int n = i == stay || kindEdges[c][i] < 0 ? 0 : flow.carried(kindEdges[c][i]); n > 0; n--) {
                    targets.add(i);
                }
            }
            for (int m = 0; m < members.size(); m++) {
                nodeOf[members.get(m)] = targets.get(m);
            }
        }
        return nodeOf;
    }

    /** The units' indexes grouped by {@code key} (units alike for a flow), groups in order of their first unit. */
    private static List<List<Integer>> kinds(List<Unit> units, java.util.function.Function<Unit, Object> key) {
        Map<Object, List<Integer>> kinds = new java.util.LinkedHashMap<>();
        for (int u = 0; u < units.size(); u++) {
            kinds.computeIfAbsent(key.apply(units.get(u)), ignored -> new ArrayList<>()).add(u);
        }
        return List.copyOf(kinds.values());
    }

    /**
     * The replicas behind {@code primaries} with the fewest moves, by a min-cost flow over kinds of units (same
     * primary, kept replicas and redundancy): a kind's copies on each node are dealt to its units in turn, so no
     * unit gets two on one node.
     */
    private static Map<UnitKey, TreeSet<String>> replicas(List<String> nodes, List<Unit> units, Map<UnitKey, String> primaries) {
        int k = nodes.size();
        long total = units.stream().mapToLong(Unit::redundancy).sum();
        List<List<Integer>> kinds = kinds(units, unit -> List.of(unit.redundancy(), primaries.get(unit.key()), unit.keptReplicas()));
        int source = 0;
        int sink = 1;
        int extra = 2;
        int firstNode = 3;
        int firstKind = firstNode + k;
        MinCostFlow flow = new MinCostFlow(firstKind + kinds.size());
        for (int i = 0; i < k; i++) {
            flow.edge(firstNode + i, sink, (int) (total / k), 0);
            flow.edge(firstNode + i, extra, 1, 0);
        }
        flow.edge(extra, sink, (int) (total % k), 0);
        int[][] kindEdges = new int[kinds.size()][k];
        for (int c = 0; c < kinds.size(); c++) {
            Unit unit = units.get(kinds.get(c).get(0));
            int size = kinds.get(c).size();
            flow.edge(source, firstKind + c, size * unit.redundancy(), 0);
            Arrays.fill(kindEdges[c], -1);
            for (int i = 0; i < k; i++) {
                String node = nodes.get(i);
                if (!node.equals(primaries.get(unit.key()))) {
                    kindEdges[c][i] = flow.edge(firstKind + c, firstNode + i, size, unit.keptReplicas().contains(node) ? 0L : 1L);
                }
            }
        }
        if (flow.run(source, sink)[0] < total) {
            return null;
        }
        Map<UnitKey, TreeSet<String>> replicas = new HashMap<>();
        for (int c = 0; c < kinds.size(); c++) {
            List<Integer> members = kinds.get(c);
            members.forEach(u -> replicas.put(units.get(u).key(), new TreeSet<>()));
            int next = 0;
            for (int i = 0; i < k; i++) {
                for (int n = kindEdges[c][i] < 0 ? 0 : flow.carried(kindEdges[c][i]); n > 0; n--) {
                    replicas.get(units.get(members.get(next++ % members.size())).key()).add(nodes.get(i));
                }
            }
        }
        return replicas;
    }

    /**
     * A flow network solved by JGraphT's {@link CapacityScalingMinimumCostFlow}: the least-cost flow of the most
     * units from source to sink. Vertices and arcs go into the graph in insertion order, so results are
     * deterministic. The library wants every supply met, so a bypass arc source → sink costing more than all other
     * arcs together takes whatever the network cannot carry; what it takes is missing from the flow. JGraphT 1.5.2
     * reads arc costs from the graph's edge weights, not from the problem's cost function (jgrapht/jgrapht#1139),
     * so the graph is weighted and every arc's weight is its cost.
     */
    private static final class MinCostFlow {
        private final Graph<Integer, Arc> graph = new DirectedMultigraph<>(null, null, true);
        private final List<Arc> arcs = new ArrayList<>();
        private Map<Arc, Double> carried;

        /** An arc; identity, not value, tells arcs apart (parallel arcs may be alike). */
        private static final class Arc {
            private final int capacity;
            private final long cost;

            Arc(int capacity, long cost) {
                this.capacity = capacity;
                this.cost = cost;
            }
        }

        MinCostFlow(int vertices) {
            for (int v = 0; v < vertices; v++) {
                graph.addVertex(v);
            }
        }

        /** Adds an arc and returns its index. */
        int edge(int from, int to, int capacity, long cost) {
            Arc arc = new Arc(capacity, cost);
            graph.addEdge(from, to, arc);
            graph.setEdgeWeight(arc, cost);
            arcs.add(arc);
            return arcs.size() - 1;
        }

        int carried(int edge) {
            return (int) Math.round(carried.getOrDefault(arcs.get(edge), 0.0));
        }

        /** {flow, cost}; the cost is the least one when the flow is everything the source's arcs can send. */
        long[] run(int source, int sink) {
            int supply = graph.outgoingEdgesOf(source).stream().mapToInt(arc -> arc.capacity).sum();
            long bypassCost = 1 + arcs.stream().mapToLong(arc -> arc.capacity * arc.cost).sum();
            Arc bypass = new Arc(supply, bypassCost);
            graph.addEdge(source, sink, bypass);
            graph.setEdgeWeight(bypass, bypassCost);
            MinimumCostFlowProblem<Integer, Arc> problem = new MinimumCostFlowProblem.MinimumCostFlowProblemImpl<>(graph,
                    v -> v == source ? supply : v == sink ? -supply : 0, arc -> arc.capacity, arc -> 0, arc -> (double) arc.cost);
            MinimumCostFlowAlgorithm.MinimumCostFlow<Arc> flow = new CapacityScalingMinimumCostFlow<Integer, Arc>().getMinimumCostFlow(problem);
            carried = flow.getFlowMap();
            long bypassed = Math.round(carried.getOrDefault(bypass, 0.0));
            return new long[] {supply - bypassed, Math.round(flow.getCost()) - bypassed * bypassCost};
        }
    }
}
