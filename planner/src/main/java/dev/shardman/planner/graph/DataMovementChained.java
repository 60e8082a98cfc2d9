package dev.shardman.planner.graph;

import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.List;

/** Steps that move data run one at a time, in {@link DataMovementChain} order. */
public final class DataMovementChained implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        List<Step> chain = DataMovementChain.of(steps);
        List<Edge> edges = new ArrayList<>();
        for (int i = 1; i < chain.size(); i++) {
            edges.add(edge(chain.get(i - 1), chain.get(i)));
        }
        return edges;
    }
}
