package dev.shardman.planner.graph;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.planner.PlannedStep;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepId;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.IntConsumer;

/**
 * Builds the step graph from the edge rules and orders it topologically, the smallest step id first among the
 * steps ready to run, so the same steps always come out in the same order (a greedy order that is unique: it is
 * the one JGraphT's {@code TopologicalOrderIterator} gives with the same comparator). A cycle (the walk stops
 * short) is an error naming its steps, found by JGraphT's {@code CycleDetector}.
 *
 * <p>The walk runs over step positions (arrays of predecessors and successors), not a JGraphT graph: at 49,000
 * moves the graph's hashed vertex and edge maps were a quarter of the whole plan (BENCHMARKS.md, issue 14). A
 * JGraphT graph is built only to name a cycle.
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
        Adjacency adjacency = new Adjacency(steps.size());
        for (EdgeRule rule : rules) {
            for (Edge edge : rule.edges(steps)) {
                if (!edge.before().equals(edge.after())) {
                    adjacency.add(position(positions, edge.before()), position(positions, edge.after()));
                }
            }
        }
        List<PlannedStep> ordered = walk(steps, ids, adjacency);
        if (ordered.size() < steps.size()) {
            throw cycleError(ids, adjacency);
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

    /** Kahn's walk: a step is ready when every edge into it is walked (a repeated edge counts each time). */
    private static List<PlannedStep> walk(List<Step> steps, List<StepId> ids, Adjacency adjacency) {
        int[] waiting = new int[steps.size()];
        PriorityQueue<Integer> ready = new PriorityQueue<>(Math.max(1, steps.size()), (left, right) -> ids.get(left).compareTo(ids.get(right)));
        for (int step = 0; step < steps.size(); step++) {
            waiting[step] = adjacency.predecessorCount(step);
            if (waiting[step] == 0) {
                ready.add(step);
            }
        }
        List<PlannedStep> ordered = new ArrayList<>(steps.size());
        while (!ready.isEmpty()) {
            int step = ready.poll();
            ordered.add(new PlannedStep(steps.get(step), dependsOn(ids, adjacency, step)));
            adjacency.forEachSuccessor(step, next -> {
                if (--waiting[next] == 0) {
                    ready.add(next);
                }
            });
        }
        return ordered;
    }

    /** The ids of a step's predecessors, each once, sorted. */
    private static List<StepId> dependsOn(List<StepId> ids, Adjacency adjacency, int step) {
        int[] predecessors = adjacency.predecessors(step);
        if (predecessors.length == 0) {
            return List.of();
        }
        StepId[] before = new StepId[predecessors.length];
        for (int index = 0; index < predecessors.length; index++) {
            before[index] = ids.get(predecessors[index]);
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

    private static ShardmanException cycleError(List<StepId> ids, Adjacency adjacency) {
        Graph<StepId, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
        ids.forEach(graph::addVertex);
        for (int step = 0; step < ids.size(); step++) {
            StepId from = ids.get(step);
            adjacency.forEachSuccessor(step, next -> graph.addEdge(from, ids.get(next)));
        }
        List<String> names = new CycleDetector<>(graph).findCycles().stream().sorted().map(StepId::value).toList();
        return new ShardmanException(ErrorCode.INTERNAL, "the plan's steps depend on each other in a cycle: " + String.join(", ", names),
                "this is a shardman bug; report it with the spec and the state");
    }

    /** Each step's successors and predecessors by position, repeated edges kept, in growable int arrays. */
    private static final class Adjacency {
        private final int[][] successors;
        private final int[] successorCounts;
        private final int[][] predecessors;
        private final int[] predecessorCounts;

        Adjacency(int steps) {
            successors = new int[steps][];
            successorCounts = new int[steps];
            predecessors = new int[steps][];
            predecessorCounts = new int[steps];
        }

        void add(int before, int after) {
            append(successors, successorCounts, before, after);
            append(predecessors, predecessorCounts, after, before);
        }

        private static void append(int[][] lists, int[] counts, int owner, int value) {
            int[] list = lists[owner];
            if (list == null) {
                list = new int[2];
            } else if (counts[owner] == list.length) {
                list = Arrays.copyOf(list, list.length * 2);
            }
            list[counts[owner]++] = value;
            lists[owner] = list;
        }

        int predecessorCount(int step) {
            return predecessorCounts[step];
        }

        int[] predecessors(int step) {
            return predecessorCounts[step] == 0 ? new int[0] : Arrays.copyOf(predecessors[step], predecessorCounts[step]);
        }

        void forEachSuccessor(int step, IntConsumer action) {
            for (int index = 0; index < successorCounts[step]; index++) {
                action.accept(successors[step][index]);
            }
        }
    }
}
