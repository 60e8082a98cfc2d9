package dev.shardman.applier.execute;

import dev.shardman.applier.replication.ReplicaProgress;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.PromoteReplica;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The write half of the promotion primitive: the unit whose primary holder is lost fails over to the most advanced
 * reachable candidate ({@link ReplicaProgress}), converting its replica tables in place through the uniform node work
 * of {@link StepRunner}. The winner may differ from the plan's ({@link PromoteReplica#expected()}): apply does not
 * re-plan, later steps are checked against the committed state (docs/internals/recovery-and-faults.md, "Promotion of
 * a replica").
 */
record PromoteReplicaExecutor(PromoteReplica step) implements StepExecutor {
    PromoteReplicaExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public String describe() {
        return step.describe();
    }

    @Override
    public boolean failover() {
        return true;
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        String anchor = step.unit().partitionNames().get(0);
        // Progress is read from the replica holders' subscription origins: the fence of MarkNodeLost only
        // DISABLEs the subscriptions from the lost node, and they are dropped after its last promotion, so
        // the origins are there (also after a crash in between). Highest remote_lsn wins, ties by plan order.
        List<ReplicaProgress.Position> positions = ReplicaProgress.positions(before, anchor, nodes::connect).stream()
                .filter(position -> step.candidates().contains(position.node())).toList();
        List<String> ranked = positions.stream()
                .sorted(java.util.Comparator.comparingLong(ReplicaProgress.Position::value).reversed()
                        .thenComparingInt(position -> step.candidates().indexOf(position.node())))
                .map(ReplicaProgress.Position::node).toList();
        String winner = ranked.isEmpty() ? firstReachable(before, nodes) : ranked.get(0);
        List<String> candidates = new ArrayList<>(List.of(winner));
        step.candidates().stream().filter(candidate -> !candidate.equals(winner)).forEach(candidates::add);
        return StateProjection.apply(before, new PromoteReplica(step.unit(), step.lostNode(), candidates));
    }

    private String firstReachable(ClusterState before, LiveNodes nodes) {
        for (String candidate : step.candidates()) {
            try {
                nodes.connect(before.node(candidate).orElseThrow());
                return candidate;
            } catch (RuntimeException unreachable) {
                // next one
            }
        }
        throw new ShardmanException(ErrorCode.NODE_FAILURE, "no replica holder of " + step.unit().name() + " among "
                + String.join(", ", step.candidates()) + " can be reached",
                "bring one of the replica holders back, or allow data loss and recreate the partition");
    }
}
