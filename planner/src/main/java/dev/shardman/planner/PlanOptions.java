package dev.shardman.planner;

/**
 * What the operator allows the plan to do.
 *
 * @param allowDestroy drop tables and columns (--allow-destroy)
 * @param allowDataLoss re-create, empty, partitions whose only copy was on a lost node (--allow-data-loss)
 */
public record PlanOptions(boolean allowDestroy, boolean allowDataLoss) {
    public static final PlanOptions DEFAULTS = new PlanOptions(false, false);
}
