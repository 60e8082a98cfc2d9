package dev.shardman.planner.graph;

import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A new node is registered before any other step touches it. */
public final class NodeRegisteredBeforeUse implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, RegisterNode> registrations = new HashMap<>();
        StepFilters.ofType(steps, RegisterNode.class).forEach(step -> registrations.put(step.node().name(), step));
        List<Edge> edges = new ArrayList<>();
        if (registrations.isEmpty()) {
            return edges;
        }
        for (Step step : steps) {
            for (String node : step.nodes()) {
                RegisterNode registration = registrations.get(node);
                if (registration != null && registration != step) {
                    edges.add(edge(registration, step));
                }
            }
        }
        return edges;
    }
}
