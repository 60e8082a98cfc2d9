package dev.shardman.planner.graph;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.planner.PlannedStep;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepId;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.AbstractBaseGraph;
import org.jgrapht.graph.DefaultGraphSpecificsStrategy;
import org.jgrapht.graph.DefaultGraphType;
import org.jgrapht.traverse.NotDirectedAcyclicGraphException;
import org.jgrapht.traverse.TopologicalOrderIterator;
import org.jgrapht.util.SupplierUtil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the step graph from the edge rules and orders it: a JGraphT directed graph walked in topological
 * order with ties broken by step id, so the same steps always come out in the same order. A cycle (the walk
 * stops short) is an error naming its steps. The cycle search runs only then: run first, its depth-first walk
 * of the chain of data-moving steps took 15 % of a 37,200-move plan (BENCHMARKS.md, issue 14).
 */
public final class PlanGraph {
    private PlanGraph() {
    }

    public static List<PlannedStep> order(List<Step> steps, List<EdgeRule> rules) {
        Map<StepId, Step> byId = new HashMap<>();
        Graph<StepId, DefaultEdge> graph = new StepGraph();
        for (Step step : steps) {
            if (byId.put(step.id(), step) != null) {
                throw new ShardmanException(ErrorCode.INTERNAL, "two plan steps share the id " + step.id(), "this is a shardman bug");
            }
            graph.addVertex(step.id());
        }
        for (EdgeRule rule : rules) {
            for (Edge edge : rule.edges(steps)) {
                if (!edge.before().equals(edge.after())) {
                    graph.addEdge(edge.before(), edge.after());
                }
            }
        }
        List<PlannedStep> ordered = new ArrayList<>(steps.size());
        TopologicalOrderIterator<StepId, DefaultEdge> iterator = new TopologicalOrderIterator<>(graph, Comparator.naturalOrder());
        try {
            while (iterator.hasNext()) {
                StepId id = iterator.next();
                List<StepId> dependsOn = graph.incomingEdgesOf(id).stream().map(graph::getEdgeSource).distinct().sorted().toList();
                ordered.add(new PlannedStep(byId.get(id), dependsOn));
            }
        } catch (NotDirectedAcyclicGraphException cycle) {
            List<String> names = new CycleDetector<>(graph).findCycles().stream().sorted().map(StepId::value).toList();
            throw new ShardmanException(ErrorCode.INTERNAL, "the plan's steps depend on each other in a cycle: " + String.join(", ", names),
                    "this is a shardman bug; report it with the spec and the state");
        }
        return ordered;
    }

    /**
     * A directed multigraph without JGraphT's fast edge lookup: the lookup's index of vertex pairs cost a third of
     * ordering a 49,000-move plan, and only ever served the duplicate check a multigraph skips (a rule that
     * repeats an edge repeats a predecessor, removed in {@code dependsOn}).
     */
    private static final class StepGraph extends AbstractBaseGraph<StepId, DefaultEdge> {
        private static final long serialVersionUID = 1L;

        StepGraph() {
            super(null, SupplierUtil.createDefaultEdgeSupplier(), DefaultGraphType.directedMultigraph(), new DefaultGraphSpecificsStrategy<>());
        }
    }
}
