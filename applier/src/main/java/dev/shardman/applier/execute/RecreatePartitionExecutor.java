package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.RecreatePartition;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Re-creates, EMPTY, a partition unit whose only copy was on a lost node ({@code --allow-data-loss}, which the
 * planner demands): the node work is the uniform one of {@link StepRunner} for the state after (the chosen node
 * replaces its foreign partition by an empty attached local partition; every other live node repoints its
 * foreign partition there). Loud: apply prints a warning naming the partitions whose rows are lost.
 */
record RecreatePartitionExecutor(RecreatePartition step) implements StepExecutor {
    RecreatePartitionExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        return StateProjection.apply(before, step);
    }

    @Override
    public Optional<String> warning() {
        return Optional.of("DATA LOSS: " + step.unit().describe() + " re-created EMPTY on " + step.node() + "; every row it held on lost "
                + step.lostNode() + " is lost");
    }
}
