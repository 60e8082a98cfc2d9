package dev.shardman.applier.metadata;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One row of {@code shardman.journal}: a step run of a plan. Never holds a password (descriptions with
 * one are refused, error texts are masked before they are stored).
 *
 * @param serialAfter the cluster serial the step's metadata commit produced, if it committed one
 */
public record JournalEntry(
        long id,
        String planId,
        String stepId,
        String description,
        StepStatus status,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Optional<String> error,
        Optional<Decision> decision,
        OptionalLong serialAfter) {

    public JournalEntry {
        requireNonNull(planId, "planId is null");
        requireNonNull(stepId, "stepId is null");
        requireNonNull(description, "description is null");
        requireNonNull(status, "status is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(error, "error is null");
        requireNonNull(decision, "decision is null");
        requireNonNull(serialAfter, "serialAfter is null");
    }
}
