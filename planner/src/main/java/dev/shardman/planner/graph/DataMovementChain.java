package dev.shardman.planner.graph;

import dev.shardman.planner.step.ChangeSharedMaster;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PromoteReplica;
import dev.shardman.planner.step.RecreatePartition;
import dev.shardman.planner.step.Step;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The steps that move data, in the one order they run: failovers first (promotions, then empty
 * re-creations), then primary moves, then new replicas (copied from the primary's final node), then
 * replica moves, then shared master changes; by step id within a kind.
 */
public final class DataMovementChain {
    private static final Map<Class<?>, Integer> PRIORITY = Map.of(
            PromoteReplica.class, 0,
            RecreatePartition.class, 1,
            MovePrimary.class, 2,
            CreateReplica.class, 3,
            MoveReplica.class, 4,
            ChangeSharedMaster.class, 5);

    private DataMovementChain() {
    }

    public static List<Step> of(List<Step> steps) {
        return steps.stream()
                .filter(Step::movesData)
                .sorted(Comparator.<Step>comparingInt(step -> PRIORITY.getOrDefault(step.getClass(), 9)).thenComparing(Step::id))
                .toList();
    }
}
