package dev.shardman.applier.execute;

import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.MoveReplica;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Moves a replica without ever holding fewer copies: first the new copy (replica table on {@code to},
 * its channel from the primary with the initial copy, waited for until every table of the unit is in sync
 * state {@code r}), then the metadata commit with both copies still on the nodes, then the old copy goes
 * (its table leaves the primary's publication once the slot confirmed it, the subscription is refreshed or
 * dropped, then the table on {@code from} is dropped). A crash before the commit leaves the state before
 * (recover drops the half-made new copy, and the planner plans the same move again); after it, the state
 * after (recover drops the old copy, the new one is complete).
 */
record MoveReplicaExecutor(MoveReplica step) implements StepExecutor {
    /** How long the new copy may take to reach sync state r. */
    static final Duration INITIAL_SYNC_WAIT = Duration.ofHours(1);

    MoveReplicaExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        return StateProjection.apply(before, step);
    }

    /** Both copies: the state before plus the replica on {@code to}. */
    @Override
    public ClusterState stateAtCommit(ClusterState before, ClusterState after) {
        return StateProjection.apply(before, new CreateReplica(step.unit(), step.to(), step.primary()));
    }

    @Override
    public void copyData(ClusterState before, ClusterState after, StepTools tools) throws SQLException {
        ClusterState both = stateAtCommit(before, after);
        tools.reconciler(both).reconcile(tools.nodes().connect(both.node(step.to()).orElseThrow()),
                ExpectedObjects.forNode(both, step.to()), List.of(before, both));
        tools.channels().grow(both);
        if (!tools.channels().awaitInitialSync(newCopyOnly(both), INITIAL_SYNC_WAIT, tools.progressLines())) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the new replica of " + step.unit().describe() + " on " + step.to()
                    + " did not finish its initial copy within " + INITIAL_SYNC_WAIT, "the old replica on " + step.from()
                    + " is kept; look at " + step.to() + "'s server log, then run apply again");
        }
    }

    /** {@code state} with only the replicas of the moved unit on {@code to}, and no shared table: the channel whose sync is awaited. */
    private ClusterState newCopyOnly(ClusterState state) {
        List<ReplicaState> replicas = state.replicas().stream()
                .filter(replica -> replica.node().equals(step.to()) && step.unit().partitionNames().contains(replica.partition())).toList();
        return new ClusterState(state.lineage(), state.serial(), state.nodes(),
                state.tables().stream().filter(table -> table.isSharded()).toList(), state.partitions(), replicas, state.settings());
    }
}
