package dev.shardman.applier.execute;

import dev.shardman.planner.PlanHeader;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a saved plan promises: the metadata it was made from, its step ids in order and what each step says it does (a
 * spec edited inside the file, its hash recomputed, plans the same ids with other contents); apply refuses (STALE_PLAN)
 * otherwise.
 */
public record PlanExpectation(PlanHeader header, List<String> stepIds, List<String> descriptions) {
    public PlanExpectation {
        requireNonNull(header, "header is null");
        stepIds = List.copyOf(stepIds);
        descriptions = List.copyOf(descriptions);
    }
}
