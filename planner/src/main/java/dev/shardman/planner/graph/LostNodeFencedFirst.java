package dev.shardman.planner.graph;

import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * A lost node is fenced before every other step (MarkNodeLost steps among themselves are unordered): every
 * step's replication phases visit each node its state holds live, so a step that ran before the fence would
 * try to reach the lost node and fail, and the commits that wait for the lost node's synchronous standby
 * would hang until the fence rewrites synchronous_standby_names.
 */
public final class LostNodeFencedFirst implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        List<MarkNodeLost> fences = StepFilters.ofType(steps, MarkNodeLost.class);
        List<Edge> edges = new ArrayList<>();
        for (MarkNodeLost fence : fences) {
            for (Step step : steps) {
                if (!(step instanceof MarkNodeLost)) {
                    edges.add(edge(fence, step));
                }
            }
        }
        return edges;
    }
}
