package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leaving a move's partitions out of a node's objects: the tables with their keys and indexes, nothing else. */
class NodeObjectsTest {
    private static final Set<TableName> MOVING = Set.of(new TableName("public", "customers_0"), new TableName("public", "customers_0_fdw"),
            new TableName("public", "customers_1"), new TableName("public", "customers_1_fdw"));

    @Test
    void withoutTablesDropsTheTablesTheirKeysAndIndexesOnly() {
        ClusterState state = TestStates.offline(2, TestStates.customers(4));
        NodeObjects w1 = ExpectedObjects.forNode(state, "w1");
        NodeObjects left = w1.withoutTables(MOVING);
        List<String> gone = w1.objects().keySet().stream().filter(key -> left.get(key).isEmpty()).map(ObjectKey::toString).sorted().toList();
        assertEquals(List.of(
                "foreign partition public.customers_1_fdw",
                "local partition public.customers_0",
                "partition index public.customers_country_idx_0",
                "primary key public.customers_0_pkey"), gone);
        assertTrue(left.objects().keySet().stream().anyMatch(key -> key.toString().contains("customers_2")), "other partitions stay");
        assertTrue(left.objects().values().stream().anyMatch(ParentTable.class::isInstance), "the parent stays");
        assertTrue(left.objects().values().stream().anyMatch(ForeignServer.class::isInstance), "servers stay");
        assertEquals(gone.size(), w1.ofTables(MOVING).size());
    }
}
