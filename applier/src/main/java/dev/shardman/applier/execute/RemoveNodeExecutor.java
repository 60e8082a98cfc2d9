package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.RemoveNode;

import static java.util.Objects.requireNonNull;

/**
 * Unregisters a node that holds nothing any more: its shardman objects go from it (foreign servers,
 * foreign partitions, parents) and its peers drop their servers to it. The parents on the leaving node
 * hold no local partition (the state says so, and the reconciler, which refuses to drop a local
 * partition there, checks it), so dropping them there is allowed; user data is never dropped.
 */
record RemoveNodeExecutor(RemoveNode step) implements StepExecutor {
    RemoveNodeExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        return StateProjection.apply(before, step);
    }

    @Override
    public boolean allowsDataLoss(String node) {
        return node.equals(step.node());
    }
}
