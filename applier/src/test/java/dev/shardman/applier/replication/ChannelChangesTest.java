package dev.shardman.applier.replication;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import dev.shardman.model.spec.TableType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The nodes a data move's narrowed channel passes look at: the ends of the channels that differ, and no other. */
class ChannelChangesTest {
    private static final List<NodeState> NODES = List.of(node(1), node(2), node(3), node(4));

    @Test
    void aReplicaMoveConcernsItsPrimaryAndBothHolders() {
        // a_0 on w1 replicated on w2 → w3; a_1 on w2 replicated on w4 is left alone
        ClusterState before = state(List.of(new ReplicaState("a_0", "w2"), new ReplicaState("a_1", "w4")), "w1");
        ClusterState after = state(List.of(new ReplicaState("a_0", "w3"), new ReplicaState("a_1", "w4")), "w1");
        assertEquals(List.of("w1", "w2", "w3"), names(ChannelReconciler.changedEnds(before, after)));
    }

    @Test
    void aPrimaryMoveConcernsItsSourceDestinationAndReplicaHolder() {
        // a_0 w1 → w3, replicated on w2: w1 → w2 loses it, w3 → w2 gains it; w2 → w4 (a_1) does not change
        ClusterState before = state(List.of(new ReplicaState("a_0", "w2"), new ReplicaState("a_1", "w4")), "w1");
        ClusterState after = state(List.of(new ReplicaState("a_0", "w2"), new ReplicaState("a_1", "w4")), "w3");
        assertEquals(List.of("w1", "w2", "w3"), names(ChannelReconciler.changedEnds(before, after)));
    }

    @Test
    void nothingChangedConcernsNoNode() {
        ClusterState state = state(List.of(new ReplicaState("a_0", "w2"), new ReplicaState("a_1", "w4")), "w1");
        assertEquals(List.of(), ChannelReconciler.changedEnds(state, state));
    }

    private static List<String> names(List<NodeState> nodes) {
        return nodes.stream().map(NodeState::name).toList();
    }

    private static NodeState node(int id) {
        return new NodeState(id, "w" + id, Optional.empty(), "host=w" + id, Optional.empty(), "rg1", false);
    }

    /** Table a: a_0 on {@code firstHolder}, a_1 on w2. */
    private static ClusterState state(List<ReplicaState> replicas, String firstHolder) {
        TableState table = new TableState("a", "public", TableType.SHARDED, List.of(new ColumnState("id", "bigint", false, Optional.empty())),
                List.of("id"), List.of(), Optional.of("id"), 2, 1, Optional.empty(), Optional.empty());
        List<PartitionState> partitions = List.of(new PartitionState("a", 0, firstHolder), new PartitionState("a", 1, "w2"));
        return ClusterState.withDefaultSettings("lineage", 3, NODES, List.of(table), partitions, replicas);
    }
}
