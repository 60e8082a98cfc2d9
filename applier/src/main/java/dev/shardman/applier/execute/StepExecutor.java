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

    /**
     * The state the nodes are brought to before the metadata commits (default: {@code after}). A step that
     * must never leave fewer copies of a partition (MoveReplica) keeps the old copy here: it goes after the
     * commit ({@link StepRunner}: shrink, reconcile and grow to {@code after}), so a crash anywhere leaves
     * the copies of either the state before or the state after, and recover converges to the committed one.
     */
    default ClusterState stateAtCommit(ClusterState before, ClusterState after) {
        return after;
    }

    /**
     * The state the nodes are left in after the step (default: {@code after}, the metadata's): a replica move of a wave
     * leaves the new copies made ahead for the later moves of its wave ({@link ReplicaWaves}).
     */
    default ClusterState stateOnNodes(ClusterState after) {
        return after;
    }

    /**
     * Data work before the node transactions, outside any transaction (default none), e.g. a new copy
     * filled and in sync; it must be idempotent and leave nothing that recover of {@code before} cannot undo.
     */
    default void copyData(ClusterState before, ClusterState after, StepTools tools) throws SQLException {
    }

    /** A line apply must print loudly once the step is done (data lost, for instance); default none. */
    default java.util.Optional<String> warning() {
        return java.util.Optional.empty();
    }

    /**
     * The node this step takes out of the cluster for good, if any (RemoveNode): its node work is not a reconcile
     * but the cleanup that keeps its tables with data ({@code NodeCleanup}), prepared like any other node's.
     */
    default java.util.Optional<String> leavingNode() {
        return java.util.Optional.empty();
    }

    /**
     * Whether this step fails a lost node over (MarkNodeLost, PromoteReplica): its node work must not give up because
     * clients hold locks, so it is retried with short lock waits ({@link LockWaitRetry}).
     */
    default boolean failover() {
        return false;
    }

    /**
     * Whether the step's channel passes may look only at the channels it changes and the nodes at their ends (a replica
     * move: its unit's two channels); default false: the full pass over every node, which also repairs what is not the
     * step's. Recover's pass after a crash is always the full one.
     */
    default boolean changesOnlyItsChannels() {
        return false;
    }

    /**
     * Whether the step may share one two-phase round with the steps beside it ({@link StepGroup}): its node work is only the
     * uniform reconcile to its state after; default false (it runs alone).
     */
    default boolean joinsRounds() {
        return false;
    }

    /** Whether reconciling {@code node} for this step may drop rows (only steps the operator allowed with a flag). */
    default boolean allowsDataLoss(String node) {
        return step().requiredPermission().isPresent();
    }
}
