package dev.shardman.planner.graph;

import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepId;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A step in the plan and the ids of the steps that must finish before it (sorted). */
public record PlannedStep(Step step, List<StepId> dependsOn) {
    public PlannedStep {
        requireNonNull(step, "step is null");
        dependsOn = List.copyOf(requireNonNull(dependsOn, "dependsOn is null"));
    }

    public StepId id() {
        return step.id();
    }
}
