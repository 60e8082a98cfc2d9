package dev.shardman.planner.graph;

import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A lost node is fenced before any data moves and before any other step touches it. */
public final class LostNodeFencedFirst implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, MarkNodeLost> fences = new HashMap<>();
        StepFilters.ofType(steps, MarkNodeLost.class).forEach(step -> fences.put(step.node(), step));
        List<Edge> edges = new ArrayList<>();
        if (fences.isEmpty()) {
            return edges;
        }
        List<Step> chain = DataMovementChain.of(steps);
        for (MarkNodeLost fence : fences.values()) {
            if (!chain.isEmpty()) {
                edges.add(edge(fence, chain.get(0)));
            }
        }
        for (Step step : steps) {
            for (String node : step.nodes()) {
                MarkNodeLost fence = fences.get(node);
                if (fence != null && fence != step) {
                    edges.add(edge(fence, step));
                }
            }
        }
        return edges;
    }
}
