package dev.shardman.applier.execute;

import dev.shardman.planner.PlanHeader;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a saved plan promises: the metadata it was made from and its step ids in order; apply refuses (STALE_PLAN) otherwise. */
public record PlanExpectation(PlanHeader header, List<String> stepIds) {
    public PlanExpectation {
        requireNonNull(header, "header is null");
        stepIds = List.copyOf(stepIds);
    }
}
