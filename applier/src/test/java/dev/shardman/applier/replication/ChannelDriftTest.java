package dev.shardman.applier.replication;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.objects.DriftCode;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lag and synchronous-standby findings judged from what was read of each node (no server: the reads are given). */
class ChannelDriftTest {
    private static final List<NodeState> NODES = List.of(node(1), node(2));
    private static final ClusterState STATE = state();
    private static final Channel CHANNEL = ExpectedChannels.of(STATE).get(0);

    @Test
    void aSlotLagsOnlyAboveTheThresholdAndAnUnknownLagIsNoFinding() {
        Map<String, Long> lag = new HashMap<>();
        lag.put(CHANNEL.subscription(), 500L);
        lag.put("shardman_unknown_lag", null);
        Map<String, ChannelDrift.NodeChannels> read = read(lag, "", List.of());
        assertEquals(List.of("w1 replication slot " + CHANNEL.subscription() + ": lag 500 bytes is above max_replication_lag_bytes 100"),
                findings(read, 100, false, DriftCode.REPLICATION_LAG));
        assertEquals(List.of(), findings(read, 500, false, DriftCode.REPLICATION_LAG));
    }

    @Test
    void aSynchronousReplicaCountsAsStreamingOnlyUnderItsOwnName() {
        String wanted = "ANY 1 (\"" + CHANNEL.subscription() + "\")";
        String notStreaming = "w1 setting synchronous_standby_names: 1 of the 1 synchronous replicas of w1 are not streaming: commits on w1"
                + " wait until they are back or marked lost (statement_timeout does not end the wait)";
        assertEquals(List.of(notStreaming), findings(read(Map.of(), wanted, List.of()), 0, true, DriftCode.REPLICAS_NOT_STREAMING));
        assertEquals(List.of(notStreaming), findings(read(Map.of(), wanted, List.of("shardman_other")), 0, true, DriftCode.REPLICAS_NOT_STREAMING));
        assertEquals(List.of(), findings(read(Map.of(), wanted, List.of("shardman_other", CHANNEL.subscription())), 0, true,
                DriftCode.REPLICAS_NOT_STREAMING));
        assertEquals(List.of(), findings(read(Map.of(), wanted, List.of()), 0, true, DriftCode.DIFFERS), "the setting is the wanted one");
    }

    private static List<String> findings(Map<String, ChannelDrift.NodeChannels> read, long maxLagBytes, boolean synchronous, DriftCode code) {
        return ChannelDrift.evaluating(ConninfoSecrets.of(Map.of())).findings(STATE, NODES, read, maxLagBytes, synchronous).stream()
                .filter(finding -> finding.code() == code)
                .map(finding -> finding.node() + " " + finding.object() + ": " + finding.problem()).toList();
    }

    /** w1 publishes the channel's tables with {@code slotLag}, {@code standbys} and {@code streaming}; w2 subscribes. */
    private static Map<String, ChannelDrift.NodeChannels> read(Map<String, Long> slotLag, String standbys, List<String> streaming) {
        ObservedReplication source = new ObservedReplication("w1",
                Map.of(CHANNEL.publication(), new ObservedReplication.Publication(CHANNEL.publication(), Set.copyOf(CHANNEL.tables()))), Map.of(), Map.of());
        ObservedReplication destination = new ObservedReplication("w2", Map.of(), Map.of(CHANNEL.subscription(),
                new ObservedReplication.Subscription(CHANNEL.subscription(), true, "w1", "5432", "db", List.of(CHANNEL.publication()),
                        Optional.of(CHANNEL.subscription()), Map.of(new TableName("public", "a_0"), "r"), "off", "digest")), Map.of());
        return Map.of("w1", new ChannelDrift.NodeChannels(source, slotLag, standbys, streaming),
                "w2", new ChannelDrift.NodeChannels(destination, Map.of(), "", List.of()));
    }

    private static NodeState node(int id) {
        return new NodeState(id, "w" + id, Optional.empty(), "host=w" + id, Optional.empty(), "rg1", false);
    }

    /** Table a: a_0 on w1, replicated on w2. */
    private static ClusterState state() {
        TableState table = new TableState("a", "public", TableType.SHARDED, List.of(new ColumnState("id", "bigint", false, Optional.empty())),
                List.of("id"), List.of(), Optional.of("id"), 1, 1, Optional.empty(), Optional.empty());
        return new ClusterState("lineage", 3, NODES, List.of(table), List.of(new PartitionState("a", 0, "w1")), List.of(new ReplicaState("a_0", "w2")),
                new ClusterSettings(true, 100, new FailoverSettings(false, Duration.ofSeconds(30))));
    }
}
