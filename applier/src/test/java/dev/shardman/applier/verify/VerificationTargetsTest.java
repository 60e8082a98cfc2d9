package dev.shardman.applier.verify;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VerificationTargetsTest {
    private static final TableState ITEMS = new TableState("items", "app", TableType.SHARDED, List.of(
            new ColumnState("id", "bigint", false, Optional.empty()),
            new ColumnState("val", "bigint", true, Optional.empty())),
            List.of("id"), List.of(), Optional.of("id"), 2, 1, Optional.empty(), Optional.empty());
    private static final TableState REGIONS = new TableState("regions", "public", TableType.SHARED, List.of(
            new ColumnState("code", "text", false, Optional.empty())),
            List.of("code"), List.of(), Optional.empty(), 0, 0, Optional.empty(), Optional.of("w1"));

    private static NodeState node(long id, boolean lost) {
        return new NodeState(id, "w" + id, Optional.empty(), "host=h" + id, Optional.empty(), "rg1", lost);
    }

    @Test
    void everyPrimaryIsASourceAndEveryLiveReplicaAndSharedCopyIsPairedWithTheSlotThatFeedsIt() {
        ClusterState state = ClusterState.withDefaultSettings("l", 3, List.of(node(1, false), node(2, false), node(3, false)), List.of(ITEMS, REGIONS),
                List.of(new PartitionState("items", 0, "w1"), new PartitionState("items", 1, "w2")),
                List.of(new ReplicaState("items_0", "w2"), new ReplicaState("items_1", "w3")));
        VerificationTargets targets = VerificationTargets.of(state);

        assertEquals(List.of("items_0 app.items_0 on w1", "items_1 app.items_1 on w2", "regions shardman_shared.regions on w1"),
                targets.sources().stream().map(source -> source.name() + " " + source.location().describe()).toList());
        assertEquals(List.of("[id, val]", "[id, val]", "[code]"),
                targets.sources().stream().map(source -> source.location().columns().toString()).toList());
        assertEquals(List.of(
                        "REPLICA items_0: app.items_0 on w1 -> app.items_0 on w2 via shardman_sub_1_2",
                        "REPLICA items_1: app.items_1 on w2 -> app.items_1 on w3 via shardman_sub_2_3",
                        "SHARED_COPY regions: shardman_shared.regions on w1 -> shardman_shared.regions on w2 via shardman_shared_sub_1_2",
                        "SHARED_COPY regions: shardman_shared.regions on w1 -> shardman_shared.regions on w3 via shardman_shared_sub_1_3"),
                targets.pairs().stream().map(pair -> pair.kind() + " " + pair.name() + ": " + pair.source().describe() + " -> "
                        + pair.copy().describe() + " via " + pair.slot()).toList());
        assertEquals(List.of(), targets.unreadable());
    }

    @Test
    void aPrimaryOnALostNodeIsUnreadableAndReplicasOnLostNodesAreLeftOut() {
        ClusterState state = ClusterState.withDefaultSettings("l", 3, List.of(node(1, false), node(2, true), node(3, false)), List.of(ITEMS),
                List.of(new PartitionState("items", 0, "w1"), new PartitionState("items", 1, "w2")),
                List.of(new ReplicaState("items_0", "w2"), new ReplicaState("items_1", "w3")));
        VerificationTargets targets = VerificationTargets.of(state);

        assertEquals(List.of("items_0"), targets.sources().stream().map(VerificationTargets.Source::name).toList());
        assertEquals(List.of(), targets.pairs(), "w2 is lost: its replica of items_0 is not compared, and items_1 has no readable primary");
        assertEquals(List.of(new ReadError("w2", "items_1", "the primary's node is marked lost; apply its failover first")), targets.unreadable());
    }
}
