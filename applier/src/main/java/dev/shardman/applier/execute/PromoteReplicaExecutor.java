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
 * The write half of the promotion primitive: the partition unit whose primary holder is lost fails
 * over to the most advanced reachable candidate ({@link ReplicaProgress}, read on the anchor
 * partition), and the state after says so (primary on B, B's replica gone). The node work is the
 * uniform one of {@link StepRunner}: the shrink phase drops the subscriptions from the lost node (fenced,
 * i.e. disabled, since MarkNodeLost: DISABLE, {@code slot_name = NONE}, DROP) once no partition of the
 * lost node is left unpromoted on their holder, then in one prepared transaction per node B converts its
 * replica tables into attached local partitions with their rows (drop the read-only trigger, detach and
 * drop {@code t_n_fdw}, ATTACH PARTITION: a conversion in {@code ObjectDiff}, never drop + create) and
 * every other live node repoints {@code t_n_fdw} to B; the metadata commits with the decision. Recover
 * converges the same way after a crash anywhere in between.
 *
 * <p>The winner may differ from the candidate the plan assumed ({@link PromoteReplica#expected()}). Apply
 * does not re-plan then: each later step is projected from the committed state of the step before
 * ({@code ApplyEngine.run}), not from the plan's projection. Later steps that stay valid run as planned
 * (the CreateReplica steps of a failover name a node that held no copy of the unit, which is still true);
 * a step that assumed the planned winner in a way the actual state contradicts fails in its check
 * ({@code StateProjection} refuses, before any node work), apply exits 1 and the next apply plans from the
 * real state. The placement may then be less balanced than planned; a fresh plan moves primaries to
 * balance it, which apply cannot run yet (MovePrimary).
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
