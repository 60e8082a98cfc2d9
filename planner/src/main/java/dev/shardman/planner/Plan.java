package dev.shardman.planner;

import dev.shardman.planner.graph.PlannedStep;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An immutable plan: the steps that take the cluster from the state named in the header to the shape
 * of the spec. Invariants: steps are in a topological order of their dependencies (ties broken by
 * step id), ids are unique, and every step's dependencies come before it. No behaviour: rendering
 * lives in {@code planner.render}, the resulting state in {@link StateProjection}.
 *
 * @param warnings what the plan cannot do although the spec would want it (a replication group that no moves
 *        can balance), or what the spec should say and does not (a node lost in the metadata only), one
 *        sentence each, for display; they do not make a plan non-empty
 */
public record Plan(PlanHeader header, List<PlannedStep> steps, List<String> warnings) {
    public Plan {
        requireNonNull(header, "header is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
    }

    public Plan(PlanHeader header, List<PlannedStep> steps) {
        this(header, steps, List.of());
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
