package dev.shardman.planner.graph;

import dev.shardman.planner.step.DropForeignServers;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A leaving node loses its foreign servers, then its registration, only after every other step that touches it. */
public final class NodeRemovedLast implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, DropForeignServers> disconnections = new HashMap<>();
        Map<String, RemoveNode> removals = new HashMap<>();
        StepFilters.ofType(steps, DropForeignServers.class).forEach(step -> disconnections.put(step.node(), step));
        StepFilters.ofType(steps, RemoveNode.class).forEach(step -> removals.put(step.node(), step));
        List<Edge> edges = new ArrayList<>();
        if (removals.isEmpty() && disconnections.isEmpty()) {
            return edges;
        }
        removals.forEach((node, removal) -> {
            DropForeignServers disconnection = disconnections.get(node);
            if (disconnection != null) {
                edges.add(edge(disconnection, removal));
            }
        });
        for (Step step : steps) {
            if (StepFilters.isNodeLifecycle(step)) {
                continue;
            }
            for (String node : step.nodes()) {
                Step last = disconnections.containsKey(node) ? disconnections.get(node) : removals.get(node);
                if (last != null) {
                    edges.add(edge(step, last));
                }
            }
        }
        return edges;
    }
}
