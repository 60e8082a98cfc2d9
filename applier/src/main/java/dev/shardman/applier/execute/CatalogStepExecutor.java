package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.Step;

import static java.util.Objects.requireNonNull;

/**
 * The catalog-only kinds whose node work is exactly "bring the nodes to the expected objects":
 * CreateForeignServers, UpdateNode, DropForeignServers, CreateShardedTable, DropShardedTable,
 * Add/Alter/DropColumn, Create/Recreate/DropIndex and ChangeRedundancy (metadata only until
 * replication exists). Steps that drop data (DropShardedTable, DropColumn) carry a permission the
 * planner demanded (--allow-destroy), which lets the reconciler drop.
 */
record CatalogStepExecutor(Step step) implements StepExecutor {
    CatalogStepExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        return StateProjection.apply(before, step);
    }
}
