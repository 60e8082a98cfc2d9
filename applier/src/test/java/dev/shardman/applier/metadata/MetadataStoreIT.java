package dev.shardman.applier.metadata;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LocalClusterTest(workers = 0)
class MetadataStoreIT {
    private static Connection connect(TestCluster cluster) {
        return new ConnectionFactory(ConninfoSecrets.of(Map.of()), "shardman-apply", Duration.ofSeconds(10))
                .connect(ConnectionTarget.shardlord(cluster.conninfo(cluster.shardlord())));
    }

    @Test
    void aMetadataTransactionRunsAtItsLevelAndLeavesTheSessionAsItWas(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            String inside = Transactions.inTransaction(connection, Connection.TRANSACTION_REPEATABLE_READ, true,
                    reading -> show(reading, "transaction_isolation") + "/" + show(reading, "transaction_read_only"));
            assertEquals("repeatable read/on", inside);
            assertEquals("read committed/off", show(connection, "transaction_isolation") + "/" + show(connection, "transaction_read_only"));
            assertTrue(connection.getAutoCommit());
            assertEquals("read committed", Transactions.inTransaction(connection, writing -> show(writing, "transaction_isolation")));
        }
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SHOW " + setting)) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void migratesAnEmptyDatabase(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            assertEquals(Migrations.latest(), store.schemaVersion());
            assertEquals(List.of("automatic_failovers", "cluster", "decisions", "journal", "lock_holder", "monitor_lease", "moves", "nodes", "partitions",
                            "plan_runs", "replicas", "schema_version", "tables"),
                    strings(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'shardman' ORDER BY 1"));
            assertTrue(connection.getAutoCommit(), "the connection is left in autocommit");
            assertEquals(ClusterState.empty(), store.readState());
            assertEquals(Optional.empty(), store.cluster());
        }
    }

    @Test
    void migratingAgainIsANoOp(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore.open(connection);
            assertEquals(List.of(), Migrations.migrate(connection));
            MetadataStore.open(connection);
            assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
                    strings(connection, "SELECT version::text FROM shardman.schema_version s ORDER BY s.version"));
        }
    }

    @Test
    void moveIdsStopAtTheBoundThatValidateChecksRetiredNamesAgainst(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore.open(connection);
            assertEquals(List.of(Long.toString(dev.shardman.model.DerivedNames.LARGEST_MOVE_ID)), strings(connection,
                    "SELECT seqmax::text FROM pg_catalog.pg_sequence WHERE seqrelid = pg_get_serial_sequence('shardman.moves', 'id')::regclass"));
        }
    }

    @Test
    void concurrentFirstUsesMigrateOnce(TestCluster cluster) throws Exception {
        int processes = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(processes);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<Integer>> versions = new ArrayList<>();
            for (int index = 0; index < processes; index++) {
                versions.add(pool.submit(() -> {
                    start.await();
                    try (Connection connection = connect(cluster)) {
                        return MetadataStore.open(connection).schemaVersion();
                    }
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Integer> version : versions) {
                assertEquals(Migrations.latest(), version.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection connection = connect(cluster)) {
            assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
                    strings(connection, "SELECT version::text FROM shardman.schema_version s ORDER BY s.version"));
        }
    }

    @Test
    void newerSchemaIsRefused(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore.open(connection);
            execute(connection, "INSERT INTO shardman.schema_version (version, description) VALUES (99, 'from the future')");
            ShardmanException refused = assertThrows(ShardmanException.class, () -> MetadataStore.open(connection));
            assertEquals(ErrorCode.REFUSED, refused.code());
            assertTrue(refused.summary().contains("schema version 99, newer than this shardman knows (" + Migrations.latest() + ")"),
                    refused.summary());
        }
    }

    @Test
    void emptyStateRoundTrip(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            String lineage = MetadataStore.newLineage();
            ClusterState initialized = store.initialize("demo", lineage);
            assertEquals(ClusterState.withDefaultSettings(lineage, 0, List.of(), List.of(), List.of(), List.of()), initialized);
            assertEquals(initialized, store.readState());
            assertEquals(initialized, store.initialize("demo", MetadataStore.newLineage()), "initialising again keeps the lineage");
            ShardmanException other = assertThrows(ShardmanException.class, () -> store.initialize("prod", MetadataStore.newLineage()));
            assertEquals(ErrorCode.REFUSED, other.code());
            assertEquals("demo", store.cluster().orElseThrow().name());
        }
    }

    @Test
    void fullStateRoundTripAndChanges(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            ClusterState base = store.initialize("demo", MetadataStore.newLineage());
            ClusterState planned = ExampleStates.planned(base);
            assertFalse(planned.partitions().isEmpty());
            assertFalse(planned.replicas().isEmpty());

            StepRun create = store.journal().startStep("plan-1", "all", "create the example cluster");
            assertEquals(planned, store.commitStep(create, base, planned));
            assertEquals(planned, store.readState());
            assertEquals(planned.serial(), store.cluster().orElseThrow().serial());

            ClusterState changed = changeEverything(planned);
            StepRun change = store.journal().startStep("plan-2", "change", "change every kind of row");
            store.commitStep(change, planned, changed);
            assertEquals(changed, store.readState());

            ClusterState back = withSerial(planned, changed.serial() + 1);
            store.commitStep(store.journal().startStep("plan-3", "back", "and back"), changed, back);
            assertEquals(back, store.readState());
        }
    }

    @Test
    void aCommitWhoseReplyWasLostIsReadBackEvenOnAFreshConnection(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster); Connection lockSession = connect(cluster)) {
            MetadataStore unfenced = MetadataStore.open(connection);
            ClusterLock lock = ClusterLock.acquire(lockSession, "apply", Optional.empty());
            MetadataStore store = unfenced.fencedBy(lock, () -> connect(cluster));
            ClusterState base = store.initialize("demo", MetadataStore.newLineage());
            ClusterState planned = ExampleStates.planned(base);
            StepRun committed = store.journal().startStep("plan-1", "all", "create");
            store.commitStep(committed, base, planned, List.of("shardman_x_1_1", "shardman_x_1_2"));
            StepRun notCommitted = store.journal().startStep("plan-1", "next", "never committed");
            ClusterState next = withSerial(planned, planned.serial() + 1);
            assertTrue(store.stepCommitted(committed, planned));
            assertFalse(store.stepCommitted(notCommitted, next));

            connection.close();   // the connection the reply was lost on
            assertTrue(store.stepCommitted(committed, planned));
            assertFalse(store.stepCommitted(notCommitted, next));
        }
    }

    @Test
    void decisionsAreForgottenOnceNoNodeHoldsTheirGid(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            ClusterState base = store.initialize("demo", MetadataStore.newLineage());
            List<String> gids = List.of("shardman_x_1_1", "shardman_x_1_2", "shardman_x_1_3");
            store.commitStep(store.journal().startStep("plan-1", "all", "create"), base, ExampleStates.planned(base), gids);
            store.journal().forgetDecisions(List.of("shardman_x_1_1"));
            assertEquals(Optional.empty(), store.journal().decisionFor("shardman_x_1_1"));
            assertEquals(0, store.journal().pruneDecisions(Set.of("shardman_x_1_2", "shardman_x_1_3")), "still prepared somewhere: kept");
            assertEquals(1, store.journal().pruneDecisions(Set.of("shardman_x_1_3")));
            assertEquals(Optional.of(Decision.COMMIT), store.journal().decisionFor("shardman_x_1_3"));
        }
    }

    @Test
    void staleWriterFailsAndWritesNothing(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster); Connection other = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            ClusterState base = store.initialize("demo", MetadataStore.newLineage());
            ClusterState planned = ExampleStates.planned(base);
            store.commitStep(store.journal().startStep("plan-1", "all", "create"), base, planned);

            MetadataStore staleStore = MetadataStore.open(other);
            ClusterState staleAfter = withSerial(ExampleStates.planned(base), base.serial() + 1);
            StepRun stale = staleStore.journal().startStep("plan-stale", "all", "create again from serial 0");
            ShardmanException failure = assertThrows(ShardmanException.class, () -> staleStore.commitStep(stale, base, staleAfter));
            assertEquals(ErrorCode.STALE_PLAN, failure.code());
            assertTrue(failure.summary().contains("serial " + planned.serial()), failure.summary());
            assertEquals(planned, store.readState());
            assertEquals(StepStatus.STARTED, staleStore.journal().lastRun().get(0).status(), "the stale step's journal row is not closed");
        }
    }

    @Test
    void literalPasswordIsRefusedAndNothingWritten(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            ClusterState base = store.initialize("demo", MetadataStore.newLineage());
            NodeState leaky = new NodeState(1, "w1", Optional.empty(), "host=h user=postgres password=plaintext", Optional.empty(), "rg1", false);
            ClusterState after = ClusterState.withDefaultSettings(base.lineage(), 1, List.of(leaky), List.of(), List.of(), List.of());
            StepRun run = store.journal().startStep("plan-1", "register w1", "register node w1");
            ShardmanException refused = assertThrows(ShardmanException.class, () -> store.commitStep(run, base, after));
            assertEquals(ErrorCode.INVALID_INPUT, refused.code());
            assertFalse(refused.getMessage().contains("plaintext"));
            assertEquals(base, store.readState());
            assertThrows(ShardmanException.class,
                    () -> store.journal().startStep("plan-1", "x", "connect with postgresql://app:plaintext@h/db"));
        }
    }

    @Test
    void journalRecordsStepsAndNeverAPassword(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            Journal journal = store.journal();
            assertEquals(List.of(), journal.lastRun());
            ClusterState base = store.initialize("demo", MetadataStore.newLineage());
            ClusterState planned = ExampleStates.planned(base);
            assertTrue(planned.node("w1").orElseThrow().conninfo().orElseThrow().contains("password=${env:PW}"));

            StepRun first = journal.startStep("plan-9", "register w1", "register node w1 (" + planned.node("w1").orElseThrow().conninfo().get() + ")");
            store.commitStep(first, base, planned);
            StepRun second = journal.startStep("plan-9", "move", "move customers_0 to w2");
            journal.failStep(second, "FATAL: connect to host=w2 user=app password=" + ExampleStates.SECRET
                    + " failed; also postgresql://app:" + ExampleStates.SECRET + "@w2/db");
            StepRun third = journal.startStep("plan-9", "2pc", "switch customers_1 on every node");
            journal.markPrepared(third);
            assertEquals(StepStatus.PREPARED, journal.lastRun().get(2).status());
            journal.recordDecision(third, List.of("shardman_switch_w1", "shardman_switch_w2"), Decision.ROLLBACK);

            List<JournalEntry> run = journal.lastRun();
            assertEquals(List.of("register w1", "move", "2pc"), run.stream().map(JournalEntry::stepId).toList());
            assertEquals(List.of(StepStatus.DONE, StepStatus.FAILED, StepStatus.ROLLED_BACK), run.stream().map(JournalEntry::status).toList());
            assertEquals(planned.serial(), run.get(0).serialAfter().getAsLong());
            assertTrue(run.get(0).finishedAt().isPresent());
            assertTrue(run.get(1).error().orElseThrow().contains("password=***"), run.get(1).error().get());
            assertEquals(Optional.of(Decision.ROLLBACK), run.get(2).decision());
            assertEquals(Optional.of(Decision.ROLLBACK), journal.decisionFor("shardman_switch_w2"));
            assertEquals(Optional.empty(), journal.decisionFor("shardman_other_w1"));

            assertEquals(List.of(), strings(connection, "SELECT j::text FROM shardman.journal j WHERE j::text LIKE '%" + ExampleStates.SECRET + "%'"));
            assertEquals(List.of(), strings(connection, "SELECT n::text FROM shardman.nodes n WHERE n::text LIKE '%" + ExampleStates.SECRET + "%'"));
            assertEquals(List.of("host=127.0.0.1 port=17431 dbname=postgres user=app password=${env:PW}"),
                    strings(connection, "SELECT conninfo FROM shardman.nodes WHERE name = 'w1'"));
        }
    }

    @Test
    void committingAPreparedStepRecordsTheCommitDecisionWithTheChange(TestCluster cluster) throws SQLException {
        try (Connection connection = connect(cluster)) {
            MetadataStore store = MetadataStore.open(connection);
            ClusterState base = store.initialize("demo", MetadataStore.newLineage());
            ClusterState planned = ExampleStates.planned(base);
            StepRun run = store.journal().startStep("plan-1", "all", "create");
            store.journal().markPrepared(run);
            store.commitStep(run, base, planned, List.of("shardman_create_w1"));
            assertEquals(Optional.of(Decision.COMMIT), store.journal().decisionFor("shardman_create_w1"));
            assertEquals(StepStatus.COMMITTED, store.journal().lastRun().get(0).status());
            assertThrows(ShardmanException.class,
                    () -> store.journal().recordDecision(run, List.of("shardman_create_w1"), Decision.ROLLBACK), "a decision is final");
            assertEquals(Optional.of(Decision.COMMIT), store.journal().decisionFor("shardman_create_w1"));
        }
    }

    /** {@code state} with a node lost and identified, a table dropped, one altered, a partition moved and replicas changed. */
    private static ClusterState changeEverything(ClusterState state) {
        List<NodeState> nodes = new ArrayList<>();
        for (NodeState node : state.nodes()) {
            nodes.add(node.name().equals("w3")
                    ? new NodeState(node.id(), node.name(), Optional.of("7311234567890123456"), node.superConninfo(), Optional.empty(), "rg2", true)
                    : node);
        }
        List<TableState> tables = new ArrayList<>();
        for (TableState table : state.tables()) {
            if (table.name().equals("countries")) {
                continue;
            }
            tables.add(table.name().equals("orders") ? table.withRedundancy(0).withIndexes(List.of()) : table);
        }
        List<PartitionState> partitions = new ArrayList<>();
        for (PartitionState partition : state.partitions()) {
            partitions.add(partition.name().equals("customers_0") ? partition.withNode("w2".equals(partition.node()) ? "w1" : "w2") : partition);
        }
        String movedTo = partitions.get(0).node();
        List<ReplicaState> replicas = state.replicas().stream()
                .filter(replica -> !replica.partition().startsWith("orders_"))
                .filter(replica -> !(replica.partition().equals("customers_0") && replica.node().equals(movedTo)))
                .toList();
        assertNotEquals(state.replicas().size(), replicas.size());
        return ClusterState.withDefaultSettings(state.lineage(), state.serial() + 1, nodes, tables, partitions, replicas);
    }

    private static ClusterState withSerial(ClusterState state, long serial) {
        return ClusterState.withDefaultSettings(state.lineage(), serial, state.nodes(), state.tables(), state.partitions(), state.replicas());
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
