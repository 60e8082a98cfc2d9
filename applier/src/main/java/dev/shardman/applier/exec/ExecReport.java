package dev.shardman.applier.exec;

import java.util.List;

/**
 * What {@code shardman exec} did, one outcome per target in the order nodes by name, then the shardlord.
 *
 * @param twoPhase whether the targets ran as one two-phase commit
 */
public record ExecReport(boolean twoPhase, List<TargetOutcome> outcomes) {
    public ExecReport {
        outcomes = List.copyOf(outcomes);
    }

    /** True when the statement is committed on every target. */
    public boolean succeeded() {
        return outcomes.stream().allMatch(outcome -> outcome.outcome().applied());
    }
}
