package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.ReplicaState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.shardman.applier.execute.SmallStates.W1;
import static dev.shardman.applier.execute.SmallStates.W2;
import static dev.shardman.applier.execute.SmallStates.state;
import static dev.shardman.applier.execute.SmallStates.table;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepChannelsTest {
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
}
