package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.Step;

import static java.util.Objects.requireNonNull;

/**
 * The catalog-only kinds whose node work is exactly "bring the nodes to the expected objects":
 * CreateForeignServers, UpdateSettings (metadata; the channel phases then bring
 * synchronous_standby_names to the recorded sync_replication), DropForeignServers, CreateShardedTable, DropShardedTable,
 * Add/Alter/DropColumn, Create/Recreate/DropIndex, ChangeRedundancy (metadata), CreateReplica and
 * DropReplica (the replica table; its channel follows in StepRunner's replication phases) and
 * Create/DropReplicationChannel (no state change: the channel is a function of the replicas, so
 * these steps verify that their two nodes are consistent), Create/DropSharedTable,
 * ChangeGrants
 * (the grants on the parent or the view), MarkNodeLost
 * (metadata; the lost node's subscriptions on the survivors are fenced by the shrink phase: DISABLEd, not
 * dropped, so that their replication origins still rank the candidates of PromoteReplica; the node itself
 * is not visited). Steps that drop data (DropShardedTable, DropColumn) carry a permission the
 * planner demanded (--allow-destroy), which lets the reconciler drop.
 */
record CatalogStepExecutor(Step step) implements StepExecutor {
    CatalogStepExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public boolean failover() {
        return step instanceof MarkNodeLost;
    }

    @Override
    public boolean joinsRounds() {
        return !failover();
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        return StateProjection.apply(before, step);
    }
}
