package dev.shardman.planner.graph;

import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.DropShardedTable;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A colocated table is created after its anchor (after the anchor's data has settled when the anchor
 * already exists) and dropped before it.
 */
public final class ColocatedTableFollowsAnchor implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, CreateShardedTable> creates = new HashMap<>();
        Map<String, DropShardedTable> drops = new HashMap<>();
        StepFilters.ofType(steps, CreateShardedTable.class).forEach(step -> creates.put(step.table().name(), step));
        StepFilters.ofType(steps, DropShardedTable.class).forEach(step -> drops.put(step.table().name(), step));
        List<Edge> edges = new ArrayList<>();
        List<Step> chain = creates.isEmpty() ? List.of() : DataMovementChain.of(steps);
        for (CreateShardedTable create : creates.values()) {
            create.table().colocateWith().ifPresent(anchor -> {
                CreateShardedTable anchorCreate = creates.get(anchor);
                if (anchorCreate != null) {
                    edges.add(edge(anchorCreate, create));
                } else if (!chain.isEmpty()) {
                    edges.add(edge(chain.get(chain.size() - 1), create));
                }
            });
        }
        for (DropShardedTable drop : drops.values()) {
            drop.table().colocateWith().map(drops::get).ifPresent(anchorDrop -> edges.add(edge(drop, anchorDrop)));
        }
        return edges;
    }
}
