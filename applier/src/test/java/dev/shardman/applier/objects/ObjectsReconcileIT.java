package dev.shardman.applier.objects;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.applier.replication.ReplicationInspector;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reconciles real nodes: data flows through the partitions, re-reconcile is a no-op, drift is named and repaired, 2PC. */
@LocalClusterTest(workers = 3)
class ObjectsReconcileIT {
    private static final int PARTITIONS = 6;
    private static final int ROWS = 1200;

    private final NodeReconciler reconciler = NodeReconciler.create(PasswordSource.none());

    @Test
    void reconciledNodesRouteRowsAndScanPeersAsynchronously(TestCluster cluster) throws SQLException {
        ClusterState state = state(cluster);
        for (int node = 1; node <= 3; node++) {
            assertTrue(reconcile(cluster, state, node, state).size() > 10, "w" + node + " got its objects");
        }
        insertRows(cluster);
        for (PartitionState partition : state.partitionsOf("customers")) {
            int holder = Integer.parseInt(partition.node().substring(1));
            assertEquals(0L, queryLong(cluster, holder, "SELECT count(*) FROM public." + partition.name()
                    + " WHERE NOT satisfies_hash_partition('public.customers'::regclass, " + PARTITIONS + ", " + partition.index() + ", id)"));
        }
        long local = 0;
        for (PartitionState partition : state.partitionsOf("customers")) {
            local += queryLong(cluster, Integer.parseInt(partition.node().substring(1)), "SELECT count(*) FROM public." + partition.name());
        }
        assertEquals(ROWS, local);
        assertEquals(ROWS, queryLong(cluster, 3, "SELECT count(*) FROM customers"));
        assertEquals(ROWS, queryLong(cluster, 2, "SELECT count(*) FROM customers c JOIN orders o ON o.customer_id = c.id"));
        String plan = queryText(cluster, 3, "EXPLAIN (COSTS OFF) SELECT country, count(*) FROM customers GROUP BY country");
        assertTrue(plan.contains("Async Foreign Scan"), plan);
        for (int node = 1; node <= 3; node++) {
            assertEquals(List.of(), reconcile(cluster, state, node, state), "second reconcile of w" + node);
        }
    }

    @Test
    void handMadeDriftIsNamedAndRepairedWithDataIntact(TestCluster cluster) throws SQLException {
        ClusterState state = state(cluster);
        reconcileAll(cluster, state);
        insertRows(cluster);
        execute(cluster, 1, "DROP FOREIGN TABLE customers_1_fdw");
        execute(cluster, 2, "DROP SERVER shardman_node_3 CASCADE");
        execute(cluster, 1, "DROP INDEX customers_country_idx_0");
        execute(cluster, 3, "ALTER SERVER shardman_node_1 OPTIONS (SET fetch_size '5')");
        execute(cluster, 1, "ALTER FOREIGN TABLE customers_2_fdw OPTIONS (SET table_name 'customers_5')");
        execute(cluster, 2, "ALTER TABLE customers DETACH PARTITION customers_4");
        execute(cluster, 3, "CREATE INDEX users_own_idx ON customers_2 (name)");

        List<String> w1 = describe(diff(cluster, state, 1));
        assertEquals(List.of(
                "+ foreign partition public.customers_1_fdw: foreign partition public.customers_1_fdw -> public.customers_1 on shardman_node_2 "
                        + "attached as remainder 1 (modulus 6) of public.customers is missing",
                "-/+ foreign partition public.customers_2_fdw: foreign table customers_2_fdw reads public.customers_5, expected public.customers_2",
                "+ partition index public.customers_country_idx_0: index customers_country_idx_0 on public.customers_0 (country) is missing"), w1);
        List<String> w2 = describe(diff(cluster, state, 2));
        assertTrue(w2.contains("+ foreign server shardman_node_3: foreign server shardman_node_3 (127.0.0.1:" + cluster.worker(3).port()
                + "/" + cluster.database() + ") is missing"), w2.toString());
        assertTrue(w2.stream().anyMatch(line -> line.startsWith("+ foreign partition public.orders_2_fdw")), w2.toString());
        assertTrue(w2.contains("~ local partition public.customers_4: local partition public.customers_4 is not attached, "
                + "expected attached as remainder 4 (modulus 6) of public.customers"), w2.toString());
        assertEquals(List.of("~ foreign server shardman_node_1: foreign server shardman_node_1 has fetch_size '5', expected '10000'"),
                describe(diff(cluster, state, 3)));

        reconcileAll(cluster, state);
        for (int node = 1; node <= 3; node++) {
            assertEquals(List.of(), diff(cluster, state, node), "w" + node + " repaired");
            assertEquals(ROWS, queryLong(cluster, node, "SELECT count(*) FROM customers"));
        }
        assertEquals(1L, queryLong(cluster, 1, "SELECT count(*) FROM pg_indexes WHERE indexname = 'customers_country_idx_0'"));
        assertEquals(1L, queryLong(cluster, 3, "SELECT count(*) FROM pg_indexes WHERE indexname = 'users_own_idx'"), "out of scope: kept");
    }

    @Test
    void columnAddedInTheStateIsAddedEverywhere(TestCluster cluster) throws SQLException {
        ClusterState before = state(cluster);
        reconcileAll(cluster, before);
        insertRows(cluster);
        TableState customers = before.table("customers").orElseThrow();
        List<ColumnState> columns = new ArrayList<>(customers.columns());
        columns.add(new ColumnState("email", "varchar(200)", false, Optional.of("'none'")));
        List<TableState> tables = new ArrayList<>(before.tables());
        tables.set(tables.indexOf(customers), customers.withColumns(columns));
        ClusterState after = ClusterState.withDefaultSettings(before.lineage(), before.serial() + 1, before.nodes(), tables, before.partitions(), List.of());

        for (int node = 1; node <= 3; node++) {
            List<ObjectChange> changes = reconcile(cluster, after, node, before, after);
            assertEquals(List.of("~ sharded parent table public.customers: column email of public.customers is missing"), describe(changes));
        }
        for (int node = 1; node <= 3; node++) {
            assertEquals(ROWS, queryLong(cluster, node, "SELECT count(*) FROM customers WHERE email = 'none'"));
            assertEquals(List.of(), diff(cluster, after, node));
        }
        for (int node = 1; node <= 3; node++) {
            assertEquals(1L + PARTITIONS, queryLong(cluster, node, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'email'"),
                    "the parent and its local and foreign partitions on w" + node);
        }
    }

    @Test
    void twoPhaseCommitAcrossNodesCommitsOrRollsBack(TestCluster cluster) throws SQLException {
        ClusterState state = state(cluster);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int node = 1; node <= 3; node++) {
                Connection connection = cluster.connect(cluster.worker(node));
                connections.add(connection);
                NodeObjects expected = ExpectedObjects.forNode(state, "w" + node);
                assertTrue(reconciler.prepare(connection, expected, List.of(state), "shardman_create_w" + node).size() > 10);
            }
            for (int node = 1; node <= 3; node++) {
                assertEquals(List.of("shardman_create_w" + node), gids(connections.get(node - 1)));
                assertEquals(0L, queryLong(cluster, node, "SELECT count(*) FROM pg_class WHERE relname = 'customers'"), "not visible before commit");
            }
            for (int node = 1; node <= 3; node++) {
                reconciler.commitPrepared(connections.get(node - 1), "shardman_create_w" + node);
                assertEquals(List.of(), gids(connections.get(node - 1)));
            }
            insertRows(cluster);
            assertEquals(ROWS, queryLong(cluster, 3, "SELECT count(*) FROM customers"));

            ClusterState withColumn = withExtraColumn(state);
            for (int node = 1; node <= 3; node++) {
                NodeObjects expected = ExpectedObjects.forNode(withColumn, "w" + node);
                assertEquals(1, reconciler.prepare(connections.get(node - 1), expected, List.of(state, withColumn), "shardman_column_w" + node).size());
            }
            for (int node = 1; node <= 3; node++) {
                reconciler.rollbackPrepared(connections.get(node - 1), "shardman_column_w" + node);
                assertEquals(List.of(), gids(connections.get(node - 1)));
                assertEquals(List.of(), diff(cluster, state, node), "rolled back on w" + node);
            }
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    @Test
    void inspectorUsesAFixedNumberOfQueriesPerNode(TestCluster cluster) throws SQLException {
        ClusterState state = state(cluster);
        reconcileAll(cluster, state);
        for (int node = 1; node <= 3; node++) {
            AtomicInteger statements = new AtomicInteger();
            try (Connection connection = cluster.connect(cluster.worker(node))) {
                NodeInspection inspection = new NodeInspector().inspect(counting(connection, statements), "w" + node, List.of(state));
                NodeObjects expected = ExpectedObjects.forNode(state, "w" + node);
                assertEquals(List.of(), ObjectDiff.diff(expected, inspection.observed()));
                assertEquals(expected.objects().keySet(), inspection.observed().objects().keySet());
                for (NodeObject object : expected.objects().values()) {
                    if (!(object instanceof ParentTable)) {
                        assertEquals(object, inspection.observed().get(object.key()).orElseThrow(), "observed record equals expected");
                    }
                }
                assertTrue(statements.get() <= NodeInspector.QUERIES_PER_NODE, "queries: " + statements.get());
                // the 7 catalog queries travel as one statement: one round trip per inspection
                assertEquals(NodeInspector.STATEMENTS_PER_NODE, statements.get());
                // drift-check also reads the replication channels (3 queries, one statement): 2 statements per node in all
                AtomicInteger replicationStatements = new AtomicInteger();
                new ReplicationInspector().inspect(counting(connection, replicationStatements), "w" + node);
                assertEquals(ReplicationInspector.STATEMENTS_PER_NODE, replicationStatements.get());
                assertEquals(2, statements.get() + replicationStatements.get());
            }
        }
    }

    @Test
    void parallelInspectionReportsAnUnreachableNode(TestCluster cluster) throws SQLException {
        ClusterState state = state(cluster);
        reconcileAll(cluster, state);
        ParallelInspector inspector = new ParallelInspector(new NodeInspector(), node -> node.equals("w4")
                ? java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2")
                : cluster.connect(cluster.worker(Integer.parseInt(node.substring(1)))), Duration.ofSeconds(20));
        Map<String, InspectionResult> results = inspector.inspectAll(List.of("w3", "w1", "w2", "w4"), List.of(state));
        assertEquals(List.of("w1", "w2", "w3", "w4"), List.copyOf(results.keySet()));
        for (int node = 1; node <= 3; node++) {
            InspectionResult.Observed observed = assertInstanceOf(InspectionResult.Observed.class, results.get("w" + node));
            assertEquals(List.of(), ObjectDiff.diff(ExpectedObjects.forNode(state, "w" + node), observed.inspection().observed()));
        }
        assertInstanceOf(InspectionResult.Unreachable.class, results.get("w4"));
    }

    @Test
    void partitionMovedAwayIsRefusedAsDataLossAndNothingChanges(TestCluster cluster) throws SQLException {
        ClusterState before = state(cluster);
        reconcileAll(cluster, before);
        insertRows(cluster);
        List<PartitionState> partitions = new ArrayList<>(before.partitions());
        PartitionState moved = before.partition("customers", 0).orElseThrow();
        partitions.set(partitions.indexOf(moved), moved.withNode("w2"));
        ClusterState after = ClusterState.withDefaultSettings(before.lineage(), before.serial() + 1, before.nodes(), before.tables(), partitions, List.of());
        ShardmanException refused = assertThrows(ShardmanException.class, () -> reconcile(cluster, after, 1, before, after));
        assertEquals(ErrorCode.REFUSED, refused.code());
        assertTrue(refused.getMessage().contains("- local partition public.customers_0"), refused.getMessage());
        assertEquals(List.of(), diff(cluster, before, 1), "the refused transaction changed nothing");
        assertEquals(ROWS, queryLong(cluster, 3, "SELECT count(*) FROM customers"));
    }

    @Test
    void userMappingPasswordIsSetFromTheEnvironmentButNeverRead(TestCluster cluster) throws SQLException {
        ClusterState plain = state(cluster);
        List<NodeState> nodes = new ArrayList<>(plain.nodes());
        NodeState w2 = nodes.get(1);
        nodes.set(1, new NodeState(w2.id(), w2.name(), Optional.empty(), w2.superConninfo(),
                Optional.of(cluster.conninfo(cluster.worker(2)) + " password=${env:SHARDMAN_TEST_PW}"), w2.replicationGroup(), false));
        ClusterState state = ClusterState.withDefaultSettings(plain.lineage(), plain.serial(), nodes, plain.tables(), plain.partitions(), List.of());
        NodeReconciler withPasswords = NodeReconciler.create(PasswordSource.fromState(state, ConninfoSecrets.of(Map.of("SHARDMAN_TEST_PW", "s3cr'et"))));
        try (Connection connection = cluster.connect(cluster.worker(1))) {
            withPasswords.reconcile(connection, ExpectedObjects.forNode(state, "w1"), List.of(state));
            NodeObjects observed = new NodeInspector().inspect(connection, "w1", List.of(state)).observed();
            // the server's salted digest of the password equals shardman's, computed in memory
            assertEquals(new UserMapping("shardman_node_2", UserMapping.CURRENT_USER, Optional.of("postgres"), true,
                            Optional.of(SecretDigest.of("s3cr'et"))),
                    observed.get(new ObjectKey(ObjectKind.USER_MAPPING, "shardman_node_2 for CURRENT_USER")).orElseThrow());
            assertFalse(observed.toString().contains("s3cr"));
            assertEquals(List.of(), withPasswords.reconcile(connection, ExpectedObjects.forNode(state, "w1"), List.of(state)));
        }
        assertEquals(2L, queryLong(cluster, 1, "SELECT count(*) FROM pg_user_mappings WHERE srvname = 'shardman_node_2' "
                + "AND umoptions @> ARRAY['password=s3cr''et']"), "the executed texts (CURRENT_USER and PUBLIC mappings) carried the real password");

        NodeReconciler rotated = NodeReconciler.create(PasswordSource.fromState(state, ConninfoSecrets.of(Map.of("SHARDMAN_TEST_PW", "n3w-pw"))));
        try (Connection connection = cluster.connect(cluster.worker(1))) {
            List<ObjectChange> changes = rotated.reconcile(connection, ExpectedObjects.forNode(state, "w1"), List.of(state));
            assertEquals(List.of("user mapping for CURRENT_USER on shardman_node_2 has a stale password (not the one its conninfo resolves to now)",
                    "user mapping for PUBLIC on shardman_node_2 has a stale password (not the one its conninfo resolves to now)"),
                    changes.stream().map(ObjectChange::reason).toList());
        }
        assertEquals(2L, queryLong(cluster, 1, "SELECT count(*) FROM pg_user_mappings WHERE srvname = 'shardman_node_2' "
                + "AND umoptions @> ARRAY['password=n3w-pw']"), "a rotated password is re-written from the environment");
    }

    @Test
    void everyUnusableForeignServerIsReportedThoughEachFailureEndsTheProbesTransaction(TestCluster cluster) throws SQLException {
        ClusterState state = state(cluster);
        reconcileAll(cluster, state);
        try {
            execute(cluster, 1, "ALTER SERVER shardman_node_2 OPTIONS (SET port '1')");
            execute(cluster, 1, "ALTER SERVER shardman_node_3 OPTIONS (SET port '1')");
            assertEquals(List.of("shardman_node_2", "shardman_node_3"), unusableServers(cluster, 1), "the probe goes on after a failure");
            reconcile(cluster, state, 1, state);
            execute(cluster, 1, "ALTER SERVER shardman_node_2 OPTIONS (SET port '1')");
            assertEquals(List.of("shardman_node_2"), unusableServers(cluster, 1), "shardman_node_3 is usable again");
        } finally {
            reconcile(cluster, state, 1, state);
        }
        assertEquals(List.of(), unusableServers(cluster, 1));
    }

    /** The foreign servers of {@code node} its probe finds unusable; the session is left in autocommit, outside any transaction. */
    private static List<String> unusableServers(TestCluster cluster, int node) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(node))) {
            List<ForeignServerProbe.Target> targets = new ArrayList<>();
            CatalogReads reads = new CatalogReads(connection);
            ForeignServerProbe.readTargets(reads, targets);
            reads.run();
            assertEquals(2, targets.size(), targets.toString());
            List<String> failed = new ForeignServerProbe(Duration.ofSeconds(15)).probe(connection, targets).stream()
                    .map(ForeignServerProbe.Failure::server).toList();
            assertTrue(connection.getAutoCommit());
            assertFalse(connection.isReadOnly());
            return failed;
        }
    }

    private static ClusterState state(TestCluster cluster) {
        return TestStates.state(3, id -> cluster.conninfo(cluster.worker(id)), TestStates.customers(PARTITIONS), TestStates.orders(PARTITIONS));
    }

    private static ClusterState withExtraColumn(ClusterState state) {
        TableState orders = state.table("orders").orElseThrow();
        List<ColumnState> columns = new ArrayList<>(orders.columns());
        columns.add(new ColumnState("note", "text", true, Optional.empty()));
        List<TableState> tables = new ArrayList<>(state.tables());
        tables.set(tables.indexOf(orders), orders.withColumns(columns));
        return ClusterState.withDefaultSettings(state.lineage(), state.serial() + 1, state.nodes(), tables, state.partitions(), List.of());
    }

    private List<ObjectChange> reconcile(TestCluster cluster, ClusterState target, int node, ClusterState... scope) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(node))) {
            return reconciler.reconcile(connection, ExpectedObjects.forNode(target, "w" + node), List.of(scope));
        }
    }

    private void reconcileAll(TestCluster cluster, ClusterState state) throws SQLException {
        for (int node = 1; node <= 3; node++) {
            reconcile(cluster, state, node, state);
        }
    }

    private static List<ObjectChange> diff(TestCluster cluster, ClusterState state, int node) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(node))) {
            NodeInspection inspection = new NodeInspector().inspect(connection, "w" + node, List.of(state));
            return ObjectDiff.diff(ExpectedObjects.forNode(state, "w" + node), inspection.observed());
        }
    }

    private static List<String> describe(List<ObjectChange> changes) {
        return changes.stream().map(ObjectChange::describe).toList();
    }

    private static void insertRows(TestCluster cluster) throws SQLException {
        execute(cluster, 1, "INSERT INTO customers (id, country) SELECT g, 'c' || (g % 7) FROM generate_series(1, " + ROWS + ") g");
        execute(cluster, 1, "INSERT INTO orders (customer_id, order_id, amount) SELECT g, g * 10, g FROM generate_series(1, " + ROWS + ") g");
    }

    private static List<String> gids(Connection connection) throws SQLException {
        return NodeReconciler.listPreparedShardmanTransactions(connection).stream().map(PreparedTransaction::gid).toList();
    }

    private static void execute(TestCluster cluster, int node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(node)); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(TestCluster cluster, int node, String sql) throws SQLException {
        return Long.parseLong(queryText(cluster, node, sql).strip());
    }

    private static String queryText(TestCluster cluster, int node, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(node)); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            StringBuilder text = new StringBuilder();
            while (rows.next()) {
                text.append(rows.getString(1)).append('\n');
            }
            return text.toString();
        }
    }

    /** The connection, counting every statement it prepares or creates (each inspector statement runs once). */
    private static Connection counting(Connection connection, AtomicInteger statements) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
            if (method.getName().equals("prepareStatement") || method.getName().equals("createStatement")) {
                statements.incrementAndGet();
            }
            try {
                return method.invoke(connection, arguments);
            } catch (InvocationTargetException failure) {
                throw failure.getCause();
            }
        });
    }
}
