package dev.shardman.applier.move;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The line printed after each data move: rows and bytes moved, how long the copy (initial copy and
 * catch-up) took, and the write fence: how long writes to the partition were blocked on the source
 * (from the lock to the commit of the source's switch).
 */
public record MoveReport(String stepId, String describe, long rows, long bytes, Duration copy, Duration writeFence) {
    public MoveReport {
        requireNonNull(stepId, "stepId is null");
        requireNonNull(describe, "describe is null");
        requireNonNull(copy, "copy is null");
        requireNonNull(writeFence, "writeFence is null");
    }
}
