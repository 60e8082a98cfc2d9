package dev.shardman.planner.graph;

import dev.shardman.planner.step.StepId;

import static java.util.Objects.requireNonNull;

/** "{@code before} must finish before {@code after} starts", and the name of the rule that says so. */
public record Edge(StepId before, StepId after, String rule) {
    public Edge {
        requireNonNull(before, "before is null");
        requireNonNull(after, "after is null");
        requireNonNull(rule, "rule is null");
    }
}
