package dev.shardman.planner.graph;

import dev.shardman.planner.step.ColumnChange;
import dev.shardman.planner.step.ColumnPhase;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
            Optional<ColumnChange> found = step.columnChange();
            if (found.isEmpty()) {
                continue;
            }
            ColumnChange change = found.get();
            String key = change.effect() + " " + change.table() + "." + change.column();
            (change.phase() == ColumnPhase.SUBSCRIBERS ? subscribers : publishers).put(key, step);
        }
        List<Edge> edges = new ArrayList<>();
        subscribers.forEach((key, subscriberStep) -> {
            Step publisherStep = publishers.get(key);
            if (publisherStep != null) {
                edges.add(subscriberStep.columnChange().orElseThrow().drops() ? edge(publisherStep, subscriberStep) : edge(subscriberStep, publisherStep));
            }
        });
        return edges;
    }
}
