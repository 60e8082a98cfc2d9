package dev.shardman.applier.execute;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.shardman.applier.execute.SmallStates.W1;
import static dev.shardman.applier.execute.SmallStates.W2;
import static dev.shardman.applier.execute.SmallStates.state;
import static dev.shardman.applier.execute.SmallStates.table;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceLocksTest {
    private static final ClusterState BEFORE = state(List.of(W1, W2), List.of(table("customers"), table("orders")), List.of());

    @Test
    void aStepThatAltersAShardedTableOnSeveralNodesLocksItsSourcesFirst() {
        ClusterState wider = state(List.of(W1, W2), List.of(withNote(table("customers")), table("orders")), List.of());

        assertTrue(SourceLocks.of(BEFORE, wider, 2).isPresent());
    }

    @Test
    void nothingToOrderWhenNoExistingTableChangesOrOneNodeWorksAlone() {
        ClusterState added = state(List.of(W1, W2), List.of(table("customers"), table("orders"), table("lines")), List.of());
        ClusterState wider = state(List.of(W1, W2), List.of(withNote(table("customers")), table("orders")), List.of());

        assertFalse(SourceLocks.of(BEFORE, added, 2).isPresent(), "a new table has no writers yet");
        assertFalse(SourceLocks.of(BEFORE, BEFORE, 2).isPresent(), "nothing altered");
        ClusterState moreReplicas = state(List.of(W1, W2), List.of(table("customers").withRedundancy(2), table("orders")), List.of());
        assertFalse(SourceLocks.of(BEFORE, moreReplicas, 2).isPresent(), "a new replica's work does not alter the table writers use");
        assertFalse(SourceLocks.of(BEFORE, wider, 1).isPresent(), "one node: no cycle across nodes");
    }

    @Test
    void aSharedTableWhoseColumnsChangeIsOrderedToo() {
        TableState countries = new TableState("countries", "public", TableType.SHARED, table("customers").columns(),
                List.of("id"), List.of(), Optional.empty(), 0, 0, Optional.empty(), Optional.of("w1"));
        ClusterState withShared = state(List.of(W1, W2), List.of(countries), List.of());
        ClusterState wider = state(List.of(W1, W2), List.of(withNote(countries)), List.of());

        assertTrue(SourceLocks.of(withShared, wider, 2).isPresent());
        assertFalse(SourceLocks.of(withShared, withShared, 2).isPresent(), "nothing altered");
    }

    private static TableState withNote(TableState table) {
        List<ColumnState> columns = new ArrayList<>(table.columns());
        columns.add(new ColumnState("note", "text", true, Optional.empty()));
        return table.withColumns(columns);
    }
}
