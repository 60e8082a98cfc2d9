package dev.shardman.planner.graph;

import dev.shardman.planner.step.ColumnChange;
import dev.shardman.planner.step.IndexChange;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A table's new and altered columns exist before its new indexes are built; its old indexes go before its columns are dropped. */
public final class IndexesFollowColumns implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, List<Step>> columnAdds = new HashMap<>();
        Map<String, List<Step>> columnDrops = new HashMap<>();
        for (Step step : steps) {
            Optional<ColumnChange> change = step.columnChange();
            if (change.isPresent()) {
                (change.get().drops() ? columnDrops : columnAdds).computeIfAbsent(change.get().table(), table -> new ArrayList<>()).add(step);
            }
        }
        List<Edge> edges = new ArrayList<>();
        for (Step step : steps) {
            Optional<IndexChange> found = step.indexChange();
            if (found.isEmpty()) {
                continue;
            }
            IndexChange change = found.get();
            if (change.builds()) {
                columnAdds.getOrDefault(change.table(), List.of()).forEach(column -> edges.add(edge(column, step)));
            }
            if (change.drops()) {
                columnDrops.getOrDefault(change.table(), List.of()).forEach(column -> edges.add(edge(step, column)));
            }
        }
        return edges;
    }
}
