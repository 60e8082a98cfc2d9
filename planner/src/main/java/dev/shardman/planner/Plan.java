package dev.shardman.planner;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An immutable plan: the steps that take the cluster from the state named in the header to the shape
 * of the spec. Invariants: steps are in a topological order of their dependencies (ties broken by
 * step id), ids are unique, and every step's dependencies come before it. No behaviour: rendering
 * lives in {@code planner.render}, the resulting state in {@link StateProjection}.
 */
public record Plan(PlanHeader header, List<PlannedStep> steps) {
    public Plan {
        requireNonNull(header, "header is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
