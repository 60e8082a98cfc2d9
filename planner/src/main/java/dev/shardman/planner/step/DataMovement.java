package dev.shardman.planner.step;

/**
 * Where a step stands in the one chain of data-moving steps, in chain order: failovers first (promotions, then
 * empty re-creations), then primary moves, then new replicas (copied from the primary's final node), then replica
 * moves, then shared master changes. {@link #NONE} for steps that move no data.
 */
public enum DataMovement {
    NONE,
    PROMOTION,
    RE_CREATION,
    PRIMARY_MOVE,
    NEW_REPLICA,
    REPLICA_MOVE,
    SHARED_MASTER_CHANGE
}
