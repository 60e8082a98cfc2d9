package dev.shardman.planner.graph;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepId;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.alg.util.Pair;
import org.jgrapht.opt.graph.sparse.IncomingEdgesSupport;
import org.jgrapht.opt.graph.sparse.SparseIntDirectedGraph;
import org.jgrapht.traverse.NotDirectedAcyclicGraphException;
import org.jgrapht.traverse.TopologicalOrderIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the step graph from the edge rules and orders it: a JGraphT directed graph walked in topological order
 * with ties broken by step id, so the same steps always come out in the same order. A cycle (the walk stops short)
 * is an error naming its steps; the cycle search runs only then.
 *
 * <p>The vertices are step positions in a compressed sparse graph (jgrapht-opt): at 49,000 moves the hashed vertex
 * and edge maps of a default JGraphT graph were a quarter of the whole plan (BENCHMARKS.md, issue 14).
 */
public final class PlanGraph {
    private PlanGraph() {
    }

    public static List<PlannedStep> order(List<Step> steps, List<EdgeRule> rules) {
        List<StepId> ids = new ArrayList<>(steps.size());
        Map<StepId, Integer> positions = new HashMap<>(steps.size() * 4 / 3 + 1);
        for (Step step : steps) {
            StepId id = step.id();
            if (positions.put(id, ids.size()) != null) {
                throw new ShardmanException(ErrorCode.INTERNAL, "two plan steps share the id " + id, "this is a shardman bug");
            }
            ids.add(id);
        }
        List<Pair<Integer, Integer>> edges = new ArrayList<>();
        for (EdgeRule rule : rules) {
            for (Edge edge : rule.edges(steps)) {
                if (!edge.before().equals(edge.after())) {
                    edges.add(Pair.of(position(positions, edge.before()), position(positions, edge.after())));
                }
            }
        }
        if (edges.isEmpty()) {
            // the sparse graph cannot hold no edge at all: nothing to order but the ids
            return steps.stream().sorted(Comparator.comparing(Step::id)).map(step -> new PlannedStep(step, List.of())).toList();
        }
        Graph<Integer, Integer> graph = new SparseIntDirectedGraph(steps.size(), edges, IncomingEdgesSupport.FULL_INCOMING_EDGES);
        List<PlannedStep> ordered = new ArrayList<>(steps.size());
        TopologicalOrderIterator<Integer, Integer> walk = new TopologicalOrderIterator<>(graph, Comparator.comparing(ids::get));
        try {
            while (walk.hasNext()) {
                int step = walk.next();
                ordered.add(new PlannedStep(steps.get(step), dependsOn(graph, ids, step)));
            }
        } catch (NotDirectedAcyclicGraphException cycle) {
            List<String> names = new CycleDetector<>(graph).findCycles().stream().map(ids::get).sorted().map(StepId::value).toList();
            throw new ShardmanException(ErrorCode.INTERNAL, "the plan's steps depend on each other in a cycle: " + String.join(", ", names),
                    "this is a shardman bug; report it with the spec and the state");
        }
        return ordered;
    }

    private static int position(Map<StepId, Integer> positions, StepId id) {
        Integer position = positions.get(id);
        if (position == null) {
            throw new IllegalArgumentException("an edge names a step that is not in the plan: " + id);
        }
        return position;
    }

    /** The ids of a step's predecessors, each once (a rule may repeat an edge), sorted. */
    private static List<StepId> dependsOn(Graph<Integer, Integer> graph, List<StepId> ids, int step) {
        Set<Integer> incoming = graph.incomingEdgesOf(step);
        if (incoming.isEmpty()) {
            return List.of();
        }
        StepId[] before = new StepId[incoming.size()];
        int index = 0;
        for (Integer edge : incoming) {
            before[index++] = ids.get(graph.getEdgeSource(edge));
        }
        Arrays.sort(before);
        List<StepId> distinct = new ArrayList<>(before.length);
        for (StepId id : before) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(id)) {
                distinct.add(id);
            }
        }
        return distinct;
    }
}
