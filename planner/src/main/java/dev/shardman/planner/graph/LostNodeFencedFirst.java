package dev.shardman.planner.graph;

import dev.shardman.planner.step.OrderingRole;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * A lost node is fenced before every other step (fences among themselves are unordered): every
 * step's replication phases visit each node its state holds live, so a step that ran before the fence would
 * try to reach the lost node and fail, and the commits that wait for the lost node's synchronous standby
 * would hang until the fence rewrites synchronous_standby_names.
 */
public final class LostNodeFencedFirst implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        List<Step> fences = StepFilters.withRole(steps, OrderingRole.FENCES_LOST_NODE);
        List<Edge> edges = new ArrayList<>();
        for (Step fence : fences) {
            for (Step step : steps) {
                if (!step.orderingRoles().contains(OrderingRole.FENCES_LOST_NODE)) {
                    edges.add(edge(fence, step));
                }
            }
        }
        return edges;
    }
}
