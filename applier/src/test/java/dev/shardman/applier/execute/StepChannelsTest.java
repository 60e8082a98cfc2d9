package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepChannelsTest {
    private static final NodeState W1 = new NodeState(1, "w1", Optional.empty(), "host=a", Optional.empty(), "rg1", false);
    private static final NodeState W2 = new NodeState(2, "w2", Optional.empty(), "host=b", Optional.empty(), "rg1", false);
    private static final NodeState W2_LOST = new NodeState(2, "w2", Optional.empty(), "host=b", Optional.empty(), "rg1", true);

    @Test
    void aTableWithoutReplicasLeavesTheChannelsAlone() {
        ClusterState before = state(List.of(W1, W2), List.of(table("a")), List.of());
        ClusterState after = state(List.of(W1, W2), List.of(table("a"), table("b")), List.of());
        assertTrue(StepChannels.unchanged(before, after));
        // a replicated table's new sibling without replicas: the channels stay as they are
        List<ReplicaState> replicas = List.of(new ReplicaState("a_0", "w2"));
        assertTrue(StepChannels.unchanged(state(List.of(W1, W2), List.of(table("a")), replicas),
                state(List.of(W1, W2), List.of(table("a"), table("b")), replicas)));
    }

    @Test
    void aNewReplicaANodeOrTheSyncSettingChangesThem() {
        ClusterState plain = state(List.of(W1, W2), List.of(table("a")), List.of());
        assertFalse(StepChannels.unchanged(plain, state(List.of(W1, W2), List.of(table("a")), List.of(new ReplicaState("a_0", "w2")))));
        assertFalse(StepChannels.unchanged(state(List.of(W1), List.of(), List.of()), state(List.of(W1, W2), List.of(), List.of())));
        assertFalse(StepChannels.unchanged(plain, state(List.of(W1, W2_LOST), List.of(table("a")), List.of())));
        ClusterSettings sync = new ClusterSettings(true, ClusterSettings.DEFAULTS.maxReplicationLagBytes(), ClusterSettings.DEFAULTS.failover());
        assertFalse(StepChannels.unchanged(plain, plain.withSettings(sync)));
    }

    private static TableState table(String name) {
        return new TableState(name, "public", dev.shardman.model.spec.TableType.SHARDED,
                List.of(new dev.shardman.model.state.ColumnState("id", "bigint", false, Optional.empty())), List.of("id"), List.of(),
                Optional.of("id"), 2, 0, Optional.empty(), Optional.empty());
    }

    private static ClusterState state(List<NodeState> nodes, List<TableState> tables, List<ReplicaState> replicas) {
        List<PartitionState> partitions = new ArrayList<>();
        for (TableState table : tables) {
            partitions.add(new PartitionState(table.name(), 0, "w1"));
            partitions.add(new PartitionState(table.name(), 1, nodes.get(nodes.size() - 1).name()));
        }
        return ClusterState.withDefaultSettings("lineage", 3, nodes, tables, partitions, replicas);
    }
}
