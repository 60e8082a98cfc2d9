package dev.shardman.planner.graph;

import dev.shardman.planner.step.CreateForeignServers;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A new node's foreign servers exist before any table, data or replication step touches it. */
public final class ForeignServersBeforeNodeUse implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, CreateForeignServers> connections = new HashMap<>();
        StepFilters.ofType(steps, CreateForeignServers.class).forEach(step -> connections.put(step.node(), step));
        List<Edge> edges = new ArrayList<>();
        if (connections.isEmpty()) {
            return edges;
        }
        for (Step step : steps) {
            if (StepFilters.isNodeLifecycle(step)) {
                continue;
            }
            for (String node : step.nodes()) {
                CreateForeignServers connection = connections.get(node);
                if (connection != null) {
                    edges.add(edge(connection, step));
                }
            }
        }
        return edges;
    }
}
