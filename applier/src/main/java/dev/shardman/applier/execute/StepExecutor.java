package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.step.Step;

import java.sql.SQLException;

/**
 * How one step runs (STYLE item 5, adapted to level-based node work): {@link #describe()} is the
 * step's own line; {@link #check} is read-only (preconditions on the live nodes) and returns the state
 * the step leads to; the node work itself is uniform ({@link StepRunner}: bring each affected node to
 * the expected objects of that state, verified before PREPARE), so an executor only says what is
 * special about its kind.
 */
interface StepExecutor {
    Step step();

    default String describe() {
        return step().describe();
    }

    /** Read-only: checks the step can run and returns the state after it (serial + 1). */
    ClusterState check(ClusterState before, LiveNodes nodes) throws SQLException;

    /** Whether reconciling {@code node} for this step may drop rows (only steps the operator allowed with a flag). */
    default boolean allowsDataLoss(String node) {
        return step().requiredPermission().isPresent();
    }
}
