package dev.shardman.applier.move;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a data-moving step stands, for the progress bar: it is data move {@code unit} of {@code units} in
 * the plan (1-based), in {@code phase} (copy, catch-up, cutover, verify, cleanup), with {@code bytesCopied}
 * of about {@code bytesTotal} copied so far; {@code eta} is empty until a rate is known.
 */
public record MoveProgress(String stepId, String describe, int unit, int units, String phase, long bytesCopied, long bytesTotal,
                           Optional<Duration> eta) {
    public MoveProgress {
        requireNonNull(stepId, "stepId is null");
        requireNonNull(describe, "describe is null");
        requireNonNull(phase, "phase is null");
        requireNonNull(eta, "eta is null");
    }
}
