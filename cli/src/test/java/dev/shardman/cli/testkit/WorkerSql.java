package dev.shardman.cli.testkit;

import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.localcluster.junit.InstanceAddress;

import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.state.ClusterState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/** SQL on one worker of the test cluster, one short-lived connection per call; shared by the cli ITs. */
public final class WorkerSql {
    /** A move's replication objects (slot, publication, subscription) on a node, one line each. */
    public static final String MOVE_OBJECTS = """
            SELECT 'slot ' || slot_name FROM pg_replication_slots WHERE slot_name LIKE 'shardman\\_move\\_%'
            UNION ALL SELECT 'publication ' || pubname FROM pg_publication WHERE pubname LIKE 'shardman\\_move\\_%'
            UNION ALL SELECT 'subscription ' || subname FROM pg_subscription WHERE subname LIKE 'shardman\\_move\\_%'""";

    private WorkerSql() {
    }

    private static final String REPLICA_TABLES = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relispartition AND c.relname ~ '^customers_\\d+$' ORDER BY 1";
    private static final String LOCAL_PARTITIONS = "SELECT c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid"
            + " WHERE i.inhparent = 'public.customers'::regclass AND c.relkind = 'r' ORDER BY 1";

    /** Runs {@code sql} on instance {@code instance}: 0 the shardlord, n worker wn. */
    public static void execute(TestCluster cluster, int instance, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.instances().get(instance))) {
            execute(connection, sql);
        }
    }

    /** The one value of a query on instance {@code instance} (0 the shardlord, n worker wn) as text, "null" for NULL. */
    public static String query(TestCluster cluster, int instance, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.instances().get(instance))) {
            return query(connection, sql);
        }
    }

    /** As {@link #query(TestCluster, int, String)} on a session the test holds (a loop of many queries opens one, not one each). */
    public static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return String.valueOf(row.getString(1));
        }
    }

    /** Runs {@code sql} on a session the test holds. */
    public static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public static long queryLong(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The first column of every row. */
    public static List<String> strings(TestCluster cluster, int worker, String sql) throws SQLException {
        return strings(cluster, cluster.worker(worker), sql);
    }

    /** The metadata the shardlord holds, whatever the cluster's name (the tests' specs say test or demo). */
    public static ClusterState shardlordState(TestCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect(cluster.shardlord())) {
            return MetadataStore.openReadOnly(connection).map(MetadataStore::readState).orElse(ClusterState.empty());
        }
    }

    /** The first column of every row of a query on the shardlord (its metadata). */
    public static List<String> shardlordStrings(TestCluster cluster, String sql) throws SQLException {
        return strings(cluster, cluster.shardlord(), sql);
    }

    private static List<String> strings(TestCluster cluster, InstanceAddress instance, String sql) throws SQLException {
        try (Connection connection = cluster.connect(instance)) {
            return strings(connection, sql);
        }
    }

    /** The first column of every row, on a session the test holds. */
    public static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }

    /** Row count and checksum of a table in schema public: equal on a primary and its caught-up replica. */
    public static String fingerprint(TestCluster cluster, int worker, String partition) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker))) {
            return fingerprint(connection, partition);
        }
    }

    private static String fingerprint(Connection connection, String partition) throws SQLException {
        return query(connection, "SELECT count(*) || ' rows, checksum ' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM public." + partition + " AS t");
    }

    /** The replica tables of {@code customers} on a worker: plain {@code customers_n} tables, not attached as partitions. */
    public static List<String> replicaTables(TestCluster cluster, int worker) throws SQLException {
        return strings(cluster, worker, REPLICA_TABLES);
    }

    /** The local (attached, not foreign) partitions of {@code customers} on a worker: the primaries it holds. */
    public static List<String> localPartitions(TestCluster cluster, int worker) throws SQLException {
        return strings(cluster, worker, LOCAL_PARTITIONS);
    }

    /** How many replica tables of {@code partition} on workers 1..{@code workers} hold what its primary holds (same {@link #fingerprint}). */
    public static int inSyncReplicas(TestCluster cluster, int workers, String partition) throws SQLException {
        int primary = 0;
        for (int worker = 1; worker <= workers; worker++) {
            if (localPartitions(cluster, worker).contains(partition)) {
                primary = worker;
            }
        }
        String want = fingerprint(cluster, primary, partition);
        int count = 0;
        for (int worker = 1; worker <= workers; worker++) {
            if (worker != primary && replicaTables(cluster, worker).contains(partition) && fingerprint(cluster, worker, partition).equals(want)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Waits (polling) until, on workers {@code first..last}, every replica copy of a {@code customers} partition has
     * its primary's {@link #fingerprint}; fails naming the first difference after {@code timeout}.
     */
    public static void awaitReplicasMatchPrimaries(TestCluster cluster, int first, int last, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String mismatch = "";
        while (System.nanoTime() < deadline) {
            mismatch = replicaMismatch(cluster, first, last);
            if (mismatch.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("replicas did not catch up within " + timeout + ": " + mismatch);
    }

    /** The first replica copy on workers {@code first..last} unlike its primary, "" when none; one session per worker. */
    private static String replicaMismatch(TestCluster cluster, int first, int last) throws SQLException {
        try (WorkerSessions sessions = new WorkerSessions(cluster, first, last)) {
            Map<Integer, List<String>> replicas = new TreeMap<>();
            for (int worker = first; worker <= last; worker++) {
                replicas.put(worker, strings(sessions.of(worker), REPLICA_TABLES));
            }
            for (int primary = first; primary <= last; primary++) {
                for (String partition : strings(sessions.of(primary), LOCAL_PARTITIONS)) {
                    for (int replica = first; replica <= last; replica++) {
                        if (replicas.get(replica).contains(partition)) {
                            String want = fingerprint(sessions.of(primary), partition);
                            String have = fingerprint(sessions.of(replica), partition);
                            if (!want.equals(have)) {
                                return partition + ": primary " + want + ", replica " + have;
                            }
                        }
                    }
                }
            }
            return "";
        }
    }

    /** Makes the test database of a worker unreachable (existing sessions ended), or reachable again. */
    public static void setConnectionsAllowed(TestCluster cluster, int worker, boolean allowed) throws SQLException {
        try (Connection postgres = cluster.withDatabase("postgres").connect(cluster.worker(worker)); Statement statement = postgres.createStatement()) {
            statement.execute("ALTER DATABASE \"" + cluster.database() + "\" ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + cluster.database()
                        + "' AND pid <> pg_backend_pid()");
            }
        }
    }
}
