package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

/** A step that failed: names the step and, when known, the node where it failed. Nothing of it was committed in the metadata. */
public final class StepFailedException extends ShardmanException {
    private final String stepId;
    private final String where;
    private final String reason;

    StepFailedException(String stepId, String describe, String where, String reason, ErrorCode code, Throwable cause) {
        super(code, "step " + stepId + " (" + describe + ") failed" + (where.isEmpty() ? "" : " on " + where) + ": " + reason,
                advice(cause) + "run apply again: it resumes where this stopped (shardman recover resolves anything left half-done)",
                cause);
        this.stepId = stepId;
        this.where = where;
        this.reason = reason;
    }

    /** What the cause says to do, when it says it (a refusal names its way out), else "fix the cause". */
    private static String advice(Throwable cause) {
        return cause instanceof ShardmanException refusal && !refusal.detail().isEmpty()
                ? refusal.detail() + "; then " : "fix the cause and ";
    }

    /** "failed on w2: <reason>" or "failed: <reason>", for the step's own line. */
    public String shortMessage() {
        return "failed" + (where.isEmpty() ? "" : " on " + where) + ": " + reason;
    }

    public String stepId() {
        return stepId;
    }
}
