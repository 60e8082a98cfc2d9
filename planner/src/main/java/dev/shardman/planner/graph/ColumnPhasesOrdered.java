package dev.shardman.planner.graph;

import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.AlterColumn;
import dev.shardman.planner.step.ColumnPhase;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Added and altered columns reach subscribers (replicas, shared copies) before publishers (primaries,
 * shared masters); dropped columns leave publishers before subscribers.
 */
public final class ColumnPhasesOrdered implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        Map<String, Step> subscribers = new HashMap<>();
        Map<String, Step> publishers = new HashMap<>();
        for (Step step : steps) {
            String key;
            ColumnPhase phase;
            if (step instanceof AddColumn add) {
                key = "add " + add.table() + "." + add.column().name();
                phase = add.phase();
            } else if (step instanceof AlterColumn alter) {
                key = "alter " + alter.table() + "." + alter.to().name();
                phase = alter.phase();
            } else if (step instanceof DropColumn drop) {
                key = "drop " + drop.table() + "." + drop.column().name();
                phase = drop.phase();
            } else {
                continue;
            }
            (phase == ColumnPhase.SUBSCRIBERS ? subscribers : publishers).put(key, step);
        }
        List<Edge> edges = new ArrayList<>();
        subscribers.forEach((key, subscriberStep) -> {
            Step publisherStep = publishers.get(key);
            if (publisherStep != null) {
                edges.add(subscriberStep instanceof DropColumn ? edge(publisherStep, subscriberStep) : edge(subscriberStep, publisherStep));
            }
        });
        return edges;
    }
}
