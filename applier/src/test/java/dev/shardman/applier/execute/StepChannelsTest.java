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
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void aNodeJoiningOrLeavingWithoutChannelsIsAllThePassesVisit() {
        ClusterState one = state(List.of(W1), List.of(), List.of());
        ClusterState two = state(List.of(W1, W2), List.of(), List.of());
        assertEquals(Optional.of(List.of(W2)), StepChannels.onlyNodesDiffer(one, two), "registered");
        assertEquals(Optional.of(List.of(W2)), StepChannels.onlyNodesDiffer(two, one), "removed");
        NodeState identified = new NodeState(2, "w2", Optional.of("7300000000000000001"), "host=b", Optional.empty(), "rg1", false);
        assertEquals(Optional.of(List.of(identified)), StepChannels.onlyNodesDiffer(two, state(List.of(W1, identified), List.of(), List.of())),
                "one node of each name, as the state after has it");
        assertEquals(Optional.empty(), StepChannels.onlyNodesDiffer(two, two), "nothing changed: no pass at all");
        ClusterState replicated = state(List.of(W1, W2), List.of(table("a")), List.of(new ReplicaState("a_0", "w2")));
        ClusterState withW3 = state(List.of(W1, W2, new NodeState(3, "w3", Optional.empty(), "host=c", Optional.empty(), "rg1", false)),
                List.of(table("a")), List.of(new ReplicaState("a_0", "w3")));
        assertEquals(Optional.empty(), StepChannels.onlyNodesDiffer(replicated, withW3), "the channels change too: the full pass");
    }
}
