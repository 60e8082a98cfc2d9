package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.RemoveNode;

import static java.util.Objects.requireNonNull;

/**
 * Unregisters a node that holds nothing any more (drained by moves, or lost and failed over). Its peers drop
 * their servers to it (the uniform reconcile); on the leaving node, if it is live, {@code NodeCleanup} removes
 * everything of shardman's and keeps its tables with data under their own names (a local partition left
 * there is detached, not dropped; a replica table loses its read-only trigger), in the same two-phase commit;
 * its subscriptions, publications and slots go in the shrink phase before (the state after has no channel
 * to or from it). A lost node is not visited: {@code shardman wipe-state} cleans it if it ever comes back.
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
    public java.util.Optional<String> leavingNode() {
        return java.util.Optional.of(step.node());
    }
}
