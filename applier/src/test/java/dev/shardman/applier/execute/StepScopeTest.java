package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.shardman.applier.execute.SmallStates.W1;
import static dev.shardman.applier.execute.SmallStates.W2;
import static dev.shardman.applier.execute.SmallStates.state;
import static dev.shardman.applier.execute.SmallStates.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StepScopeTest {

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
}
