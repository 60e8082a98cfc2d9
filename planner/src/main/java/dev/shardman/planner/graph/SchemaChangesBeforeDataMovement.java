package dev.shardman.planner.graph;

import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Column and index changes finish before data moves, so that every new copy is made in the final shape. */
public final class SchemaChangesBeforeDataMovement implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Optional<Step> first = DataMovementChain.first(steps);
        List<Edge> edges = new ArrayList<>();
        if (first.isEmpty()) {
            return edges;
        }
        for (Step step : steps) {
            if (step.columnChange().isPresent() || step.indexChange().isPresent()) {
                edges.add(edge(step, first.get()));
            }
        }
        return edges;
    }
}
