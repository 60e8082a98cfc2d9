package dev.shardman.planner.graph;

import dev.shardman.planner.step.OrderingRole;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Replicas and tables that go away are dropped before data moves, so that nothing about to vanish is copied. */
public final class ShrinkBeforeDataMovement implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Optional<Step> first = DataMovementChain.first(steps);
        List<Edge> edges = new ArrayList<>();
        if (first.isEmpty()) {
            return edges;
        }
        for (Step step : steps) {
            if (step.orderingRoles().contains(OrderingRole.SHRINK)) {
                edges.add(edge(step, first.get()));
            }
        }
        return edges;
    }
}
