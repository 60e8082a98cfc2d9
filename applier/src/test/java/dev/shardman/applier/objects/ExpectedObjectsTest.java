package dev.shardman.applier.objects;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectedObjectsTest {
    private final ClusterState state = TestStates.offline(3, TestStates.customers(6), TestStates.orders(6));

    @Test
    void nodeHasExtensionServersMappingsParentsLocalAndForeignPartitions() {
        NodeObjects objects = ExpectedObjects.forNode(state, "w1");
        List<String> keys = objects.objects().keySet().stream().map(ObjectKey::toString).toList();
        assertEquals(List.of(
                "extension postgres_fdw",
                "foreign server shardman_node_2", "foreign server shardman_node_3",
                "user mapping shardman_node_2 for CURRENT_USER", "user mapping shardman_node_3 for CURRENT_USER",
                "sharded parent table public.customers", "sharded parent table public.orders",
                "local partition public.customers_0", "local partition public.customers_3",
                "local partition public.orders_0", "local partition public.orders_3",
                "foreign partition public.customers_1_fdw", "foreign partition public.customers_2_fdw",
                "foreign partition public.customers_4_fdw", "foreign partition public.customers_5_fdw",
                "foreign partition public.orders_1_fdw", "foreign partition public.orders_2_fdw",
                "foreign partition public.orders_4_fdw", "foreign partition public.orders_5_fdw",
                "primary key public.customers_0_pkey", "primary key public.customers_3_pkey",
                "primary key public.orders_0_pkey", "primary key public.orders_3_pkey",
                "partition index public.customers_country_idx_0", "partition index public.customers_country_idx_3",
                "partition index public.orders_ordered_at_idx_0", "partition index public.orders_ordered_at_idx_3"), keys);
    }

    @Test
    void aNonSuperuserConninfoAddsPublicMappingsOnPeersAndGrantsOnTheHoldersPartitions() {
        List<NodeState> nodes = new ArrayList<>(state.nodes());
        NodeState w2 = nodes.get(1);
        nodes.set(1, new NodeState(w2.id(), w2.name(), w2.systemIdentifier(), w2.superConninfo(),
                Optional.of("host=10.0.0.2 port=5432 dbname=app user=fdw password=${env:PW}"), w2.replicationGroup(), false));
        ClusterState withConninfo = ClusterState.withDefaultSettings(state.lineage(), state.serial(), nodes, state.tables(), state.partitions(), List.of());

        NodeObjects w1 = ExpectedObjects.forNode(withConninfo, "w1");
        assertEquals(Optional.of(new UserMapping("shardman_node_2", UserMapping.PUBLIC, Optional.of("fdw"), true)),
                w1.get(new ObjectKey(ObjectKind.USER_MAPPING, "shardman_node_2 for PUBLIC")));
        assertEquals(Optional.of(new UserMapping("shardman_node_2", UserMapping.CURRENT_USER, Optional.of("fdw"), true)),
                w1.get(new ObjectKey(ObjectKind.USER_MAPPING, "shardman_node_2 for CURRENT_USER")));
        assertTrue(w1.get(new ObjectKey(ObjectKind.USER_MAPPING, "shardman_node_3 for PUBLIC")).isEmpty(),
                "w3 has no conninfo: mapping PUBLIC to its superuser would give every role superuser rights there");
        assertFalse(w1.objects().values().stream().anyMatch(PartitionGrant.class::isInstance), "w1 has no conninfo: no grants on its partitions");

        List<String> grants = ExpectedObjects.forNode(withConninfo, "w2").objects().values().stream()
                .filter(PartitionGrant.class::isInstance).map(NodeObject::describe).toList();
        assertEquals(List.of("grant of DELETE, INSERT, SELECT, UPDATE on public.customers_1 to fdw",
                "grant of DELETE, INSERT, SELECT, UPDATE on public.customers_4 to fdw",
                "grant of DELETE, INSERT, SELECT, UPDATE on public.orders_1 to fdw",
                "grant of DELETE, INSERT, SELECT, UPDATE on public.orders_4 to fdw"), grants);
    }

    @Test
    void foreignServerHasPeerAddressAndFixedOptions() {
        ForeignServer server = (ForeignServer) ExpectedObjects.forNode(state, "w1")
                .get(new ObjectKey(ObjectKind.FOREIGN_SERVER, "shardman_node_2")).orElseThrow();
        assertEquals(Map.of("host", "10.0.0.2", "port", "5432", "dbname", "app", "async_capable", "true",
                "fetch_size", "10000", "batch_size", "1000", "truncatable", "false", "application_name", "shardman-fdw:w1:%p"), server.options());
    }

    @Test
    void foreignPartitionPointsAtHolderServerAndItsLocalName() {
        ForeignPartition partition = (ForeignPartition) ExpectedObjects.forNode(state, "w1")
                .get(new ObjectKey(ObjectKind.FOREIGN_PARTITION, "public.customers_2_fdw")).orElseThrow();
        assertEquals("shardman_node_3", partition.server());
        assertEquals("customers_2", partition.remoteTable());
        assertEquals(new PartitionSlot(new TableName("public", "customers"), 6, 2), partition.slot().orElseThrow());
    }

    @Test
    void parentHasNoPrimaryKeyAndLocalPartitionHasKeyAndIndex() {
        NodeObjects objects = ExpectedObjects.forNode(state, "w2");
        assertEquals(new PrimaryKey(new TableName("public", "orders_1"), "orders_1_pkey", List.of("customer_id", "order_id")),
                objects.get(new ObjectKey(ObjectKind.PRIMARY_KEY, "public.orders_1_pkey")).orElseThrow());
        assertTrue(objects.get(new ObjectKey(ObjectKind.PRIMARY_KEY, "public.orders_pkey")).isEmpty());
        ParentTable parent = (ParentTable) objects.get(new ObjectKey(ObjectKind.PARENT_TABLE, "public.orders")).orElseThrow();
        assertEquals("customer_id", parent.hashKey());
    }

    @Test
    void userMappingUsesNonSuperuserConninfoAndOnlyMarksThePassword() {
        List<NodeState> nodes = new ArrayList<>(state.nodes());
        NodeState w2 = nodes.get(1);
        nodes.set(1, new NodeState(w2.id(), w2.name(), Optional.empty(), w2.superConninfo(),
                Optional.of("host=10.0.0.2 port=6432 dbname=app user=app password=${env:APP_PW}"), "rg1", false));
        ClusterState withConninfo = ClusterState.withDefaultSettings("test", 1, nodes, state.tables(), state.partitions(), List.of());
        NodeObjects objects = ExpectedObjects.forNode(withConninfo, "w1");
        UserMapping mapping = (UserMapping) objects.get(new ObjectKey(ObjectKind.USER_MAPPING, "shardman_node_2 for CURRENT_USER")).orElseThrow();
        assertEquals(new UserMapping("shardman_node_2", "CURRENT_USER", Optional.of("app"), true), mapping);
        assertFalse(objects.toString().contains("APP_PW"));
        ForeignServer server = (ForeignServer) objects.get(new ObjectKey(ObjectKind.FOREIGN_SERVER, "shardman_node_2")).orElseThrow();
        assertEquals("6432", server.options().get("port"));
        assertEquals(Optional.of("secret"), PasswordSource.fromState(withConninfo, ConninfoSecrets.of(Map.of("APP_PW", "secret"))).passwordFor(mapping));
    }

    @Test
    void aLostNodesPartitionsKeepTheirForeignTablesOnItsFencedServerUntilTheyFailOver() {
        ClusterState lost = withW3Lost(state.partitions());
        assertTrue(ExpectedObjects.forNode(lost, "w3").isEmpty());
        assertEquals(List.of("w1", "w2"), List.copyOf(ExpectedObjects.forAll(lost).keySet()));
        for (NodeObjects objects : ExpectedObjects.forAll(lost).values()) {
            Optional<NodeObject> server = objects.get(new ObjectKey(ObjectKind.FOREIGN_SERVER, "shardman_node_3"));
            assertTrue(server.isPresent() && ((ForeignServer) server.get()).options().get("host").equals(ForeignServer.FENCED_HOST),
                    "the lost node's server is fenced, not gone: " + server);
            for (PartitionState partition : lost.partitions().stream().filter(partition -> partition.node().equals("w3")).toList()) {
                Optional<NodeObject> foreign = objects.get(new ObjectKey(ObjectKind.FOREIGN_PARTITION, "public." + partition.name() + "_fdw"));
                assertTrue(foreign.isPresent() && foreign.get().describe().contains("shardman_node_3"),
                        "its keys fail instead of finding no partition: " + foreign);
            }
        }
    }

    @Test
    void nothingPointsAtALostNodeOnceItHoldsNoPrimary() {
        ClusterState failedOver = withW3Lost(state.partitions().stream()
                .map(partition -> partition.node().equals("w3") ? partition.withNode("w1") : partition).toList());
        for (NodeObjects objects : ExpectedObjects.forAll(failedOver).values()) {
            for (NodeObject object : objects.objects().values()) {
                assertFalse(object.describe().contains("shardman_node_3"), object.describe());
            }
        }
    }

    private ClusterState withW3Lost(List<PartitionState> partitions) {
        List<NodeState> nodes = new ArrayList<>(state.nodes());
        nodes.set(2, nodes.get(2).withLost(true));
        return ClusterState.withDefaultSettings("test", 2, nodes, state.tables(), partitions, List.of());
    }

    @Test
    void unknownNodeHasNothingAndProjectionIsDeterministic() {
        assertTrue(ExpectedObjects.forNode(state, "w9").isEmpty());
        assertEquals(ExpectedObjects.forAll(state), ExpectedObjects.forAll(TestStates.offline(3, TestStates.customers(6), TestStates.orders(6))));
    }

    @Test
    void singleNodeHasNoServers() {
        NodeObjects objects = ExpectedObjects.forNode(TestStates.offline(1, TestStates.customers(2)), "w1");
        assertTrue(objects.objects().keySet().stream().noneMatch(key -> key.kind() == ObjectKind.FOREIGN_SERVER || key.kind() == ObjectKind.FOREIGN_PARTITION));
        assertEquals(2, objects.objects().keySet().stream().filter(key -> key.kind() == ObjectKind.LOCAL_PARTITION).count());
    }
}
