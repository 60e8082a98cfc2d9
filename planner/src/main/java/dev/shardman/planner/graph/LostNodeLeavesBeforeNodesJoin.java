package dev.shardman.planner.graph;

import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A lost node that nothing else in the plan touches (failed over by an earlier apply) leaves before new nodes join:
 * one of them may be its machine back, which registering would refuse as the lost node's server (wipe-state, then
 * one spec that drops the lost node and adds the machine under a new name).
 */
public final class LostNodeLeavesBeforeNodesJoin implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        List<RemoveNode> removals = StepFilters.ofType(steps, RemoveNode.class).stream().filter(RemoveNode::lost).toList();
        List<RegisterNode> registrations = StepFilters.ofType(steps, RegisterNode.class);
        List<Edge> edges = new ArrayList<>();
        if (removals.isEmpty() || registrations.isEmpty()) {
            return edges;
        }
        Set<String> touched = new HashSet<>();
        steps.stream().filter(step -> !StepFilters.isNodeLifecycle(step)).forEach(step -> touched.addAll(step.nodes()));
        for (RemoveNode removal : removals) {
            if (!touched.contains(removal.node())) {
                registrations.forEach(registration -> edges.add(edge(removal, registration)));
            }
        }
        return edges;
    }
}
