package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;

import java.sql.SQLException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The executors' read-only checks for one run, remembering the last one that failed: a check made while a round was
 * formed that ended the round before its step fails that step at its turn, from the same state, without reading (or
 * waiting for) a node again.
 */
final class StepChecks implements StepGroup.StateCheck {
    private final LiveNodes nodes;
    private Optional<Failed> lastFailed = Optional.empty();

    StepChecks(LiveNodes nodes) {
        this.nodes = requireNonNull(nodes, "nodes is null");
    }

    /** A check that failed: the step, the state it was checked from, and why. */
    private record Failed(String stepId, ClusterState before, Exception failure) {
    }

    @Override
    public ClusterState after(StepExecutor executor, ClusterState before) throws SQLException {
        String stepId = executor.step().id().value();
        if (lastFailed.isPresent() && lastFailed.get().stepId().equals(stepId) && lastFailed.get().before().equals(before)) {
            if (lastFailed.get().failure() instanceof SQLException sqlFailure) {
                throw sqlFailure;
            }
            throw (RuntimeException) lastFailed.get().failure();
        }
        try {
            return executor.check(before, nodes);
        } catch (SQLException | RuntimeException failure) {
            lastFailed = Optional.of(new Failed(stepId, before, failure));
            throw failure;
        }
    }
}
