package dev.shardman.planner.graph;

import dev.shardman.planner.step.DataMovement;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepId;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The steps that move data, in the one order they run: by each step's place in the chain
 * ({@link DataMovement}: failovers first, then primary moves, new replicas, replica moves, shared
 * master changes), then by step id.
 */
public final class DataMovementChain {
    private DataMovementChain() {
    }

    /** The step the chain starts with, without sorting the chain (rules that order steps before all data movement need only it). */
    public static Optional<Step> first(List<Step> steps) {
        return extreme(steps, 1);
    }

    /** The step the chain ends with, without sorting the chain (rules that order steps after all data movement need only it). */
    public static Optional<Step> last(List<Step> steps) {
        return extreme(steps, -1);
    }

    /** The least data-moving step in chain order ({@code sign} 1), or the greatest ({@code sign} −1); ids are built only for ties of kind. */
    private static Optional<Step> extreme(List<Step> steps, int sign) {
        Step found = null;
        int foundPriority = 0;
        StepId foundId = null;
        for (Step step : steps) {
            if (!step.movesData()) {
                continue;
            }
            int priority = priority(step);
            int compared = found == null ? -1 : sign * Integer.compare(priority, foundPriority);
            StepId id = null;
            if (compared == 0) {
                id = step.id();
                foundId = foundId == null ? found.id() : foundId;
                compared = sign * id.compareTo(foundId);
            }
            if (compared < 0) {
                found = step;
                foundPriority = priority;
                foundId = id;
            }
        }
        return Optional.ofNullable(found);
    }

    private static int priority(Step step) {
        return step.dataMovement().ordinal();
    }

    /** Each step's id is computed once (ids are built strings; the sort would otherwise build them n log n times). */
    public static List<Step> of(List<Step> steps) {
        record Keyed(int priority, StepId id, Step step) {
        }
        return steps.stream()
                .filter(Step::movesData)
                .map(step -> new Keyed(priority(step), step.id(), step))
                .sorted(Comparator.comparingInt(Keyed::priority).thenComparing(Keyed::id))
                .map(Keyed::step)
                .toList();
    }
}
