package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.connect.NodeConnections;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.move.MoveRecovery;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;

import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * {@code plan} against the live cluster, as apply will see it, read-only and without the lock: the live metadata (empty
 * for a new cluster), the work an interrupted run left ({@link PendingRecovery}: apply runs it after its confirmation)
 * and the plan from the state that work leads to (its header at the live serial, so a saved plan is checked against it).
 * {@code plannedFrom} is that state as planned: with the partition sizes read from the nodes when the spec balances by
 * size ({@link LivePartitionBytes}), so that {@code --out-state} records them.
 */
public record LivePlan(ClusterState state, PendingRecovery pending, Plan plan, ClusterState plannedFrom) {
    public LivePlan {
        requireNonNull(state, "state is null");
        requireNonNull(pending, "pending is null");
        requireNonNull(plan, "plan is null");
        requireNonNull(plannedFrom, "plannedFrom is null");
    }

    public static LivePlan read(ConnectionFactory factory, ClusterSpec spec, PlanOptions options) {
        try (NodeConnections connections = new NodeConnections(factory, spec.shardlord())) {
            Optional<MetadataStore> store = MetadataStore.openReadOnly(connections.shardlord()).map(opened -> opened.requireCluster(spec.cluster()));
            if (store.isEmpty()) {
                ClusterState empty = LivePartitionBytes.attach(factory, spec, ClusterState.empty());
                return new LivePlan(empty, PendingRecovery.none(empty), Planner.plan(spec, empty, options), empty);
            }
            ClusterState state = store.get().readState();
            LiveNodes nodes = new LiveNodes(connections);
            ConninfoSecrets secrets = factory.secrets();
            // only read here: the move recovery's previews never run a move, so its events and leaving nodes are not used
            MoveRecovery moves = new MoveRecovery(store.get(), ClusterSession.moveConnections(factory, nodes), secrets,
                    new ChannelReconciler(nodes::connect, secrets), Set.of(), ClusterSession.lostNodes(spec),
                    new RecoverMoveEvents(new ArrayList<>(), new FaultHook(Map.of())));
            PendingRecovery pending = new PendingRecoveryReader(store.get(), moves, nodes::connect, secrets).read(state);
            ClusterState plannedFrom = LivePartitionBytes.attach(factory, spec, pending.stateAfter());
            Plan plan = Planner.plan(spec, plannedFrom, options);
            return new LivePlan(state, pending.withRollBacks(moves.previewRollBacks(plan)), plan, plannedFrom);
        }
    }
}
