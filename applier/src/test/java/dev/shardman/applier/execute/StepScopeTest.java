package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepScopeTest {
    private static final NodeState W1 = new NodeState(1, "w1", Optional.empty(), "host=a", Optional.empty(), "rg1", false);
    private static final NodeState W2 = new NodeState(2, "w2", Optional.empty(), "host=b", Optional.empty(), "rg1", false);

    @Test
    void aTableStepIsNarrowedToTheTablesItChanges() {
        ClusterState before = state(List.of(W1, W2), List.of(table("a"), table("b")), List.of());
        ClusterState after = state(List.of(W1, W2), List.of(table("a"), table("b"), table("c")), List.of());
        StepScope scope = StepScope.of(before, after);
        assertEquals(List.of(), scope.before().tables());
        assertEquals(List.of("c"), scope.after().tables().stream().map(TableState::name).toList());
        assertEquals(List.of("c"), scope.after().partitions().stream().map(PartitionState::table).distinct().toList());
        assertEquals(after.nodes(), scope.after().nodes());
    }

    @Test
    void doesNotNarrowWhenNodesChangeOrReplicasExist() {
        ClusterState before = state(List.of(W1), List.of(table("a")), List.of());
        ClusterState after = state(List.of(W1, W2), List.of(table("a")), List.of());
        assertEquals(new StepScope(before, after), StepScope.of(before, after));

        ClusterState replicated = state(List.of(W1, W2), List.of(table("a")), List.of(new ReplicaState("a_0", "w2")));
        ClusterState more = state(List.of(W1, W2), List.of(table("a"), table("b")), List.of(new ReplicaState("a_0", "w2")));
        assertEquals(new StepScope(replicated, more), StepScope.of(replicated, more));
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
