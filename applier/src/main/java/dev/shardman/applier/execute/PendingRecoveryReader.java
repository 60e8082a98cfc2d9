package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.move.MoveLeftovers;
import dev.shardman.applier.move.MoveRecovery;
import dev.shardman.applier.objects.DriftCode;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.ObjectChange;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ChannelDrift;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Reads, without changing anything, what {@link Recovery} would do ({@link PendingRecovery}): the moves {@link MoveRecovery#finish}
 * takes forward, then on every live node the move leftovers it sweeps and the node objects it reconciles (the same diff as
 * drift-check and the reconciler, the partitions of moves in flight left out), then the replication channels it shrinks and
 * grows. A node that cannot be read is named, as recovery skips it.
 */
final class PendingRecoveryReader {
    private final MetadataStore store;
    private final MoveRecovery moves;
    private final Function<NodeState, Connection> connections;
    private final ConninfoSecrets secrets;

    PendingRecoveryReader(MetadataStore store, MoveRecovery moves, Function<NodeState, Connection> connections, ConninfoSecrets secrets) {
        this.store = requireNonNull(store, "store is null");
        this.moves = requireNonNull(moves, "moves is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /** The pending work from {@code state} (the live metadata); the rolled back moves are added once the plan is known. */
    PendingRecovery read(ClusterState state) {
        List<PendingRecovery.Item> items = new ArrayList<>();
        ClusterState after = state;
        try {
            MoveRecovery.FinishPreview preview = moves.previewFinish();
            preview.lines().forEach(line -> items.add(new PendingRecovery.Item(PendingRecovery.Kind.FINISH_MOVE, line)));
            after = preview.stateAfter();
        } catch (SQLException | ShardmanException unreadable) {
            items.add(new PendingRecovery.Item(PendingRecovery.Kind.UNREACHABLE, "moves in flight: cannot tell whether they cut over: " + reason(unreadable)));
        }
        // the serial stays the live one: it is what a saved plan is checked against
        ClusterState stateAfter = new ClusterState(state.lineage(), state.serial(), after.nodes(), after.tables(), after.partitions(), after.replicas(),
                state.settings());
        List<NodeState> reachable = new ArrayList<>();
        for (NodeState node : state.nodes()) {
            if (node.lost()) {
                continue;
            }
            try {
                items.addAll(nodeItems(node, state, stateAfter));
                reachable.add(node);
            } catch (SQLException | ShardmanException unreadable) {
                items.add(new PendingRecovery.Item(PendingRecovery.Kind.UNREACHABLE, node.name() + ": cannot be read, left as it is: " + reason(unreadable)));
            }
        }
        items.addAll(channelItems(stateAfter, reachable));
        return new PendingRecovery(items, stateAfter);
    }

    /** The move leftovers to drop and the node objects to repair on one node. */
    private List<PendingRecovery.Item> nodeItems(NodeState node, ClusterState state, ClusterState stateAfter) throws SQLException {
        Connection connection = connections.apply(node);
        List<PendingRecovery.Item> items = new ArrayList<>();
        Set<String> inFlight = store.moves().inFlight().stream().map(MoveRecord::channelName).collect(Collectors.toSet());
        Set<String> held = state.partitions().stream().filter(partition -> partition.node().equals(node.name()))
                .map(PartitionState::name).collect(Collectors.toSet());
        for (MoveLeftovers.Leftover leftover : MoveLeftovers.find(connection, inFlight)) {
            if (leftover.table().map(copy -> !held.contains(copy.name())).orElse(true)) {
                items.add(new PendingRecovery.Item(PendingRecovery.Kind.DROP_MOVE_LEFTOVER, node.name() + ": drop " + leftover.describe()));
            }
        }
        Set<TableName> moving = moves.inFlightTables(state);
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(state, secrets)).excluding(moving);
        for (ObjectChange change : reconciler.plannedChanges(connection, ExpectedObjects.forNode(stateAfter, node.name()), List.of(stateAfter))) {
            items.add(new PendingRecovery.Item(PendingRecovery.Kind.REPAIR_OBJECT, node.name() + ": " + change.describe()));
        }
        return items;
    }

    /** What the channel reconciler would change (lag and standbys not streaming are not repairs; a move's channel is the move's). */
    private List<PendingRecovery.Item> channelItems(ClusterState stateAfter, List<NodeState> reachable) {
        try {
            return new ChannelDrift(connections).check(stateAfter, reachable, Long.MAX_VALUE, stateAfter.settings().syncReplication()).stream()
                    .filter(finding -> finding.code() != DriftCode.REPLICAS_NOT_STREAMING && !finding.object().contains(MoveRecord.NAME_PREFIX))
                    .map(finding -> new PendingRecovery.Item(PendingRecovery.Kind.REPAIR_CHANNEL,
                            finding.node() + ": " + finding.object() + ": " + finding.problem()))
                    .toList();
        } catch (SQLException | ShardmanException unreadable) {
            return List.of(new PendingRecovery.Item(PendingRecovery.Kind.UNREACHABLE, "replication channels: cannot be read: " + reason(unreadable)));
        }
    }

    private static String reason(Exception failure) {
        return failure instanceof ShardmanException known ? known.summary() : String.valueOf(failure.getMessage());
    }
}
