package dev.shardman.planner.graph;

import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.AlterColumn;
import dev.shardman.planner.step.CreateIndex;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.DropIndex;
import dev.shardman.planner.step.RecreateIndex;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A table's new and altered columns exist before its new indexes are built; its old indexes go before its columns are dropped. */
public final class IndexesFollowColumns implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, List<Step>> columnAdds = new HashMap<>();
        Map<String, List<Step>> columnDrops = new HashMap<>();
        for (Step step : steps) {
            if (step instanceof AddColumn add) {
                columnAdds.computeIfAbsent(add.table(), table -> new ArrayList<>()).add(step);
            } else if (step instanceof AlterColumn alter) {
                columnAdds.computeIfAbsent(alter.table(), table -> new ArrayList<>()).add(step);
            } else if (step instanceof DropColumn drop) {
                columnDrops.computeIfAbsent(drop.table(), table -> new ArrayList<>()).add(step);
            }
        }
        List<Edge> edges = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof CreateIndex create) {
                columnAdds.getOrDefault(create.table(), List.of()).forEach(column -> edges.add(edge(column, step)));
            } else if (step instanceof RecreateIndex recreate) {
                columnAdds.getOrDefault(recreate.table(), List.of()).forEach(column -> edges.add(edge(column, step)));
                columnDrops.getOrDefault(recreate.table(), List.of()).forEach(column -> edges.add(edge(step, column)));
            } else if (step instanceof DropIndex drop) {
                columnDrops.getOrDefault(drop.table(), List.of()).forEach(column -> edges.add(edge(step, column)));
            }
        }
        return edges;
    }
}
