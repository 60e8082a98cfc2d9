package dev.shardman.planner.graph;

import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.AlterColumn;
import dev.shardman.planner.step.CreateIndex;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.DropIndex;
import dev.shardman.planner.step.RecreateIndex;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.List;

/** Column and index changes finish before data moves, so that every new copy is made in the final shape. */
public final class SchemaChangesBeforeDataMovement implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        List<Step> chain = DataMovementChain.of(steps);
        List<Edge> edges = new ArrayList<>();
        if (chain.isEmpty()) {
            return edges;
        }
        for (Step step : steps) {
            if (step instanceof AddColumn || step instanceof AlterColumn || step instanceof DropColumn
                    || step instanceof CreateIndex || step instanceof RecreateIndex || step instanceof DropIndex) {
                edges.add(edge(step, chain.get(0)));
            }
        }
        return edges;
    }
}
