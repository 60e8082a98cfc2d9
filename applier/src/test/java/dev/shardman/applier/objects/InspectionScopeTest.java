package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ReplicaState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectionScopeTest {
    @Test
    void scopeCoversEveryStateAndKnowsTheReplicaTablesOfTheNode() {
        ClusterState before = TestStates.offline(2, TestStates.customers(2));
        ClusterState withOrders = TestStates.offline(2, TestStates.customers(2), TestStates.orders(2));
        ClusterState withReplica = ClusterState.withDefaultSettings("test", 3, withOrders.nodes(), withOrders.tables(), withOrders.partitions(),
                List.of(new ReplicaState("orders_1", "w1")));
        InspectionScope scope = InspectionScope.of("w1", List.of(before, withReplica));
        assertTrue(scope.includesNode());
        assertTrue(scope.parents().contains(new TableName("public", "orders")));
        assertTrue(scope.partitions().contains(new TableName("public", "customers_1_fdw")));
        assertTrue(scope.partitions().contains(new TableName("public", "orders_1_fdw")));
        assertTrue(scope.partitions().contains(new TableName("public", "orders_1")), "a replica table on w1 is observed");
        assertEquals(new TableName("public", "orders"), scope.replicaParents().get(new TableName("public", "orders_1")));
        assertFalse(scope.replicaParents().containsKey(new TableName("public", "orders_0")), "orders_0 is no replica on w1");
        assertTrue(scope.indexes().contains(new TableName("public", "customers_country_idx_1")));
        assertTrue(scope.indexes().contains(new TableName("public", "orders_0_pkey")));
        assertFalse(InspectionScope.of("w9", List.of(before)).includesNode());
    }
}
