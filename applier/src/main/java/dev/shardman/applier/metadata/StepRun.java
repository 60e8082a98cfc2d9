package dev.shardman.applier.metadata;

import static java.util.Objects.requireNonNull;

/** A handle on a journal row written by {@link Journal#startStep}: pass it to finish, fail or commit that run. */
public record StepRun(long journalId, String planId, String stepId) {
    public StepRun {
        requireNonNull(planId, "planId is null");
        requireNonNull(stepId, "stepId is null");
    }
}
