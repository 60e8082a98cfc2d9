package dev.shardman.cli.apply;

import dev.shardman.cli.docs.JsonSchemas;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.WorkerSessions;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.fingerprint;
import static dev.shardman.cli.testkit.WorkerSql.query;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replicas over logical replication on 3 real workers in one group: the example's sharded tables
 * with redundancy 1 get exactly one replica per partition on another node, 10,000 rows written
 * through w1 (INSERT) and w2 (COPY) reach every replica with the same count and checksum, a write
 * into a replica is refused while the subscription keeps applying, and lowering the redundancy to 0
 * and raising it again converge with no leftover slot, publication or subscription.
 */
@LocalClusterTest(workers = 3)
class ReplicationIT {
    private static final int ROWS = 10_000;
    private static final int WORKERS = 3;
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void replicasFollowTheirPrimariesAndRedundancyGoesDownAndUp(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("r1.yaml"), WORKERS, ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS);
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        assertTrue(!applied.err().contains("treated as 0"), applied.err());
        assertExactlyOneReplicaElsewhere(cluster, "customers");
        assertExactlyOneReplicaElsewhere(cluster, "orders");
        assertEquals(6L, countOnAll(cluster, "SELECT count(*) FROM pg_subscription WHERE subname LIKE 'shardman\\_%'"));

        execute(cluster, 1, "INSERT INTO customers (id, name, country) SELECT g, 'customer ' || g, 'FR' FROM generate_series(1, " + ROWS + ") AS g");
        StringBuilder orders = new StringBuilder();
        for (int id = 1; id <= ROWS; id++) {
            orders.append(id).append('\t').append(1).append('\t').append(id % 100).append(".50\tFR\n");
        }
        try (Connection w2 = cluster.connect(cluster.worker(2))) {
            w2.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY orders (customer_id, order_id, amount, country) FROM STDIN", new StringReader(orders.toString()));
        }
        execute(cluster, 3, "UPDATE customers SET name = name || ' (updated)' WHERE id % 7 = 0");
        execute(cluster, 3, "DELETE FROM orders WHERE customer_id % 11 = 0");
        awaitReplicasMatchPrimaries(cluster, "customers");
        awaitReplicasMatchPrimaries(cluster, "orders");

        String replica = replicaTables(cluster, "customers").get(1).get(0);
        SQLException refused = assertThrows(SQLException.class, () -> execute(cluster, 1, "INSERT INTO " + replica + " (id) VALUES (-1)"));
        assertTrue(refused.getMessage().contains("is a replica; write through the parent table"), refused.getMessage());
        execute(cluster, 2, "INSERT INTO customers (id, name) VALUES (" + (ROWS + 1) + ", 'late')");
        awaitReplicasMatchPrimaries(cluster, "customers");

        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        CliRun status = CliRun.of("status", "-f", spec.toString());
        assertTrue(status.out().contains("Replication channels:") && status.out().contains("streaming, lag ")
                && status.out().contains("initial sync 4/4 tables ready"), status.out());
        CliRun statusJson = CliRun.of("status", "-f", spec.toString(), "--json");
        assertTrue(statusJson.out().contains("\"lag_bytes\"") && statusJson.out().contains("\"tables_ready\" : 4"), statusJson.out());
        JsonSchemas.STATUS.assertValid(statusJson.out());

        assertMostAdvancedReplicaIsKnown(cluster, spec);

        Path zero = ClusterSpecFiles.write(cluster, directory.resolve("r0.yaml"), WORKERS,
                (ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS).replace("redundancy: 1", "redundancy: 0"));
        CliRun lowered = CliRun.of("apply", "-f", zero.toString(), "--auto-approve");
        assertEquals(0, lowered.exitCode(), lowered.out() + lowered.err());
        assertEquals(0, CliRun.of("drift-check", "-f", zero.toString()).exitCode());
        assertNoReplicationLeft(cluster);
        assertEquals(ROWS + 1L, queryLong(cluster, 3, "SELECT count(*) FROM customers"));
        for (int worker = 1; worker <= WORKERS; worker++) {
            assertTrue(replicaTables(cluster, "customers").get(worker).isEmpty(), "replica tables left on w" + worker);
        }

        CliRun raised = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, raised.exitCode(), raised.out() + raised.err());
        assertTrue(raised.out().contains("initial sync") || raised.err().contains("initial sync") || raised.exitCode() == 0, raised.out());
        assertExactlyOneReplicaElsewhere(cluster, "customers");
        awaitReplicasMatchPrimaries(cluster, "customers");
        awaitReplicasMatchPrimaries(cluster, "orders");
        assertEquals(0, CliRun.of("drift-check", "-f", spec.toString()).exitCode());
        CliRun again = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertTrue(again.out().contains("No changes"), again.out());

        CliRun down = CliRun.of("apply", "-f", zero.toString(), "--auto-approve");
        assertEquals(0, down.exitCode(), down.out() + down.err());
        assertNoReplicationLeft(cluster);
    }

    @Test
    void sharedTableWritesOnAnyNodeReachTheMasterAndEveryCopy(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("shared.yaml"), WORKERS, ClusterSpecFiles.COUNTRIES);
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());

        execute(cluster, 2, "INSERT INTO countries VALUES ('FR', 'France'), ('DE', 'Germany'), ('IT', 'Italy')");
        assertEquals(List.of("NO"), strings(cluster, 3, "INSERT INTO countries VALUES ('NO', 'Norway') RETURNING code"));
        execute(cluster, 3, "UPDATE countries SET name = 'République française' WHERE code = 'FR'");
        execute(cluster, 2, "DELETE FROM countries WHERE code = 'IT'");
        try (Connection w3 = cluster.connect(cluster.worker(3))) {
            long copied = w3.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY countries (code, name) FROM STDIN", new StringReader("ES\tSpain\nPT\tPortugal\n"));
            assertEquals(2, copied);
        }
        String expected = "DE:Germany,ES:Spain,FR:République française,NO:Norway,PT:Portugal";
        assertEquals(List.of(expected), strings(cluster, 1, "SELECT string_agg(code || ':' || name, ',' ORDER BY code) FROM shardman_shared.countries"));
        awaitSharedCopies(cluster, expected);
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());

        Path moved = ClusterSpecFiles.write(cluster, directory.resolve("moved.yaml"), WORKERS, ClusterSpecFiles.COUNTRIES.replace("master: w1", "master: w2"));
        CliRun changed = CliRun.of("apply", "-f", moved.toString(), "--auto-approve");
        assertEquals(0, changed.exitCode(), changed.out() + changed.err());
        execute(cluster, 1, "INSERT INTO countries VALUES ('NL', 'Netherlands')");
        String afterMove = "DE:Germany,ES:Spain,FR:République française,NL:Netherlands,NO:Norway,PT:Portugal";
        assertEquals(List.of(afterMove), strings(cluster, 2, "SELECT string_agg(code || ':' || name, ',' ORDER BY code) FROM shardman_shared.countries"));
        awaitSharedCopies(cluster, afterMove);
        assertEquals(0, CliRun.of("drift-check", "-f", moved.toString()).exitCode());

        Path none = ClusterSpecFiles.write(cluster, directory.resolve("none.yaml"), WORKERS, "  []\n");
        CliRun refused = CliRun.of("apply", "-f", none.toString(), "--auto-approve");
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        CliRun dropped = CliRun.of("apply", "-f", none.toString(), "--auto-approve", "--allow-destroy");
        assertEquals(0, dropped.exitCode(), dropped.out() + dropped.err());
        assertNoReplicationLeft(cluster);
        assertEquals(0L, countOnAll(cluster, "SELECT count(*) FROM pg_class WHERE relname LIKE 'countries%'"));
    }

    @Test
    void synchronousReplicasHaveEachRowWhenTheCommitReturnsAndDriftIsNamed(TestCluster cluster) throws Exception {
        Path asynchronous = ClusterSpecFiles.write(cluster, directory.resolve("async.yaml"), WORKERS, ClusterSpecFiles.CUSTOMERS);
        Path spec = directory.resolve("sync.yaml");
        ClusterSpecFiles.withSettings(asynchronous, spec, "  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        for (int worker = 1; worker <= WORKERS; worker++) {
            String names = strings(cluster, worker, "SHOW synchronous_standby_names").get(0);
            assertTrue(names.matches("ANY 2 \\(\"shardman_sub_\\d+_\\d+\", \"shardman_sub_\\d+_\\d+\"\\)"), "w" + worker + ": " + names);
        }
        Map<Integer, List<String>> replicas = replicaTables(cluster, "customers");
        try (WorkerSessions sessions = new WorkerSessions(cluster, 1, WORKERS)) { // for the 200 commits, not three sessions per row
            for (int id = 1; id <= 200; id++) {
                execute(sessions.of(1), "INSERT INTO customers (id, name) VALUES (" + id + ", 'sync')");
                // tableoid names the local partition or, for a remote one, its foreign table t_n_fdw
                String partition = query(sessions.of(1), "SELECT tableoid::regclass::text FROM customers WHERE id = " + id).replace("_fdw", "");
                int holder = holders(replicas, partition).get(0);
                assertEquals("1", query(sessions.of(holder), "SELECT count(*) FROM public." + partition + " WHERE id = " + id),
                        "row " + id + " is on the replica of " + partition + " (w" + holder + ") when its commit returned");
            }
        }
        assertEquals(0, CliRun.of("drift-check", "-f", spec.toString()).exitCode());

        String names = strings(cluster, 2, "SHOW synchronous_standby_names").get(0);
        execute(cluster, 2, "ALTER SYSTEM SET synchronous_standby_names = '" + names.replace(")", ", \"by_hand\")") + "'");
        execute(cluster, 2, "SELECT pg_reload_conf()");
        String subscription = strings(cluster, 3, "SELECT subname FROM pg_subscription ORDER BY 1").get(0);
        execute(cluster, 3, "ALTER SUBSCRIPTION " + subscription + " DISABLE");
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(2, drift.exitCode(), drift.out() + drift.err());
        assertTrue(drift.out().contains("synchronous_standby_names") && drift.out().contains("by_hand"), drift.out());
        assertTrue(drift.out().contains(subscription) && drift.out().contains("disabled"), drift.out());
        CliRun recover = CliRun.of("recover", "-f", spec.toString());
        assertEquals(0, recover.exitCode(), recover.out() + recover.err());
        awaitDriftCheck(spec, 0);

        CliRun off = CliRun.of("apply", "-f", asynchronous.toString(), "--auto-approve");
        assertEquals(0, off.exitCode(), off.out() + off.err());
        for (int worker = 1; worker <= WORKERS; worker++) {
            assertEquals("", strings(cluster, worker, "SHOW synchronous_standby_names").get(0), "w" + worker);
        }
        awaitDriftCheck(asynchronous, 0);
    }

    /**
     * A replica whose subscription stopped, read by drift-check on the live servers: its slot's lag above
     * {@code max_replication_lag_bytes} while rows are written, and with {@code sync_replication} the synchronous
     * replicas of its source that are not streaming (commits there would wait). Both clear once it runs again.
     */
    @Test
    void aStoppedReplicaIsNamedByItsSlotsLagAndAsASynchronousReplicaNotStreaming(TestCluster cluster) throws Exception {
        Path written = ClusterSpecFiles.write(cluster, directory.resolve("written.yaml"), WORKERS, ClusterSpecFiles.CUSTOMERS);
        Path asynchronous = ClusterSpecFiles.withSettings(written, directory.resolve("lag.yaml"), "  max_replication_lag_bytes: 1024\n");
        Path synchronous = ClusterSpecFiles.withSettings(written, directory.resolve("lag-sync.yaml"),
                "  max_replication_lag_bytes: 1024\n  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", asynchronous.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        awaitDriftCheck(asynchronous, 0);

        String subscription = strings(cluster, 3, "SELECT subname FROM pg_subscription ORDER BY 1").get(0);
        execute(cluster, 3, "ALTER SUBSCRIPTION " + subscription + " DISABLE");
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'lagging' FROM generate_series(1, 2000) AS g");
        CliRun lagging = CliRun.of("drift-check", "-f", asynchronous.toString());
        assertEquals(2, lagging.exitCode(), lagging.out() + lagging.err());
        assertTrue(lagging.out().contains("replication slot " + subscription) && lagging.out().contains("is above max_replication_lag_bytes 1024"),
                lagging.out());
        execute(cluster, 3, "ALTER SUBSCRIPTION " + subscription + " ENABLE");
        awaitDriftCheck(asynchronous, 0);

        CliRun sync = CliRun.of("apply", "-f", synchronous.toString(), "--auto-approve");
        assertEquals(0, sync.exitCode(), sync.out() + sync.err());
        execute(cluster, 3, "ALTER SUBSCRIPTION " + subscription + " DISABLE");
        CliRun notStreaming = awaitDriftCheckSaying(synchronous, "synchronous replicas of");
        assertTrue(notStreaming.out().contains("are not streaming: commits on"), notStreaming.out());
        execute(cluster, 3, "ALTER SUBSCRIPTION " + subscription + " ENABLE");
        awaitDriftCheck(synchronous, 0);

        // synchronous_standby_names is the servers' own: the other methods' databases must not wait for these replicas
        CliRun off = CliRun.of("apply", "-f", asynchronous.toString(), "--auto-approve");
        assertEquals(0, off.exitCode(), off.out() + off.err());
        for (int worker = 1; worker <= WORKERS; worker++) {
            assertEquals("", strings(cluster, worker, "SHOW synchronous_standby_names").get(0), "w" + worker);
        }
    }

    /** drift-check until its report says {@code text} (a walsender ends a moment after its subscription is disabled). */
    private static CliRun awaitDriftCheckSaying(Path spec, String text) throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        CliRun run;
        do {
            run = CliRun.of("drift-check", "-f", spec.toString());
            if (run.exitCode() == 2 && run.out().contains(text)) {
                return run;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        return fail("drift-check never said '" + text + "': " + run.out() + run.err());
    }

    private static void awaitDriftCheck(Path spec, int exitCode) throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        CliRun run;
        do {
            run = CliRun.of("drift-check", "-f", spec.toString());
            if (run.exitCode() == exitCode) {
                return;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        fail("drift-check did not exit " + exitCode + ": " + run.out() + run.err());
    }

    private static void awaitSharedCopies(TestCluster cluster, String expected) throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = "";
            for (int worker = 1; worker <= WORKERS; worker++) {
                String rows = strings(cluster, worker, "SELECT coalesce(string_agg(code || ':' || name, ',' ORDER BY code), '') FROM countries").get(0);
                if (!rows.equals(expected)) {
                    seen = "w" + worker + " reads " + rows;
                }
            }
            if (seen.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("the shared table's copies did not converge: " + seen);
    }

    /** The promotion primitive's read side: each replica's received position of its primary's WAL. */
    private static void assertMostAdvancedReplicaIsKnown(TestCluster cluster, Path spec) throws Exception {
        dev.shardman.model.spec.ClusterSpec clusterSpec = dev.shardman.model.spec.SpecLoader.load(spec, Map.of()).spec().orElseThrow();
        dev.shardman.applier.connect.ConnectionFactory factory = dev.shardman.applier.connect.ConnectionFactory.fromEnvironment("shardman-test");
        dev.shardman.model.state.ClusterState state = dev.shardman.applier.execute.LiveMetadata.read(factory, clusterSpec.cluster(), clusterSpec.shardlord()).state();
        Map<String, Connection> open = new TreeMap<>();
        try {
            for (int index = 0; index < 12; index++) {
                String partition = "customers_" + index;
                java.util.Optional<dev.shardman.applier.replication.ReplicaProgress.Position> best = dev.shardman.applier.replication.ReplicaProgress
                        .mostAdvanced(state, partition, node -> open.computeIfAbsent(node.name(),
                                name -> factory.connect(dev.shardman.applier.connect.ConnectionTarget.node(name, node.superConninfo()))));
                assertTrue(best.isPresent(), partition);
                assertEquals(state.replicaNodesOf(partition), List.of(best.get().node()), partition);
                assertTrue(best.get().value() > 0, best.get().toString());
            }
        } finally {
            for (Connection connection : open.values()) {
                connection.close();
            }
        }
    }

    /** Per worker: the replica tables (plain tables t_n not attached to the parent) of {@code table}. */
    private static Map<Integer, List<String>> replicaTables(TestCluster cluster, String table) throws SQLException {
        Map<Integer, List<String>> result = new TreeMap<>();
        for (int worker = 1; worker <= WORKERS; worker++) {
            result.put(worker, strings(cluster, worker, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relispartition AND c.relname ~ '^" + table + "_\\d+$' ORDER BY 1"));
        }
        return result;
    }

    private static Map<Integer, List<String>> primaryTables(TestCluster cluster, String table) throws SQLException {
        Map<Integer, List<String>> result = new TreeMap<>();
        for (int worker = 1; worker <= WORKERS; worker++) {
            result.put(worker, strings(cluster, worker, "SELECT c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid"
                    + " WHERE i.inhparent = 'public." + table + "'::regclass AND c.relkind = 'r' ORDER BY 1"));
        }
        return result;
    }

    private static void assertExactlyOneReplicaElsewhere(TestCluster cluster, String table) throws SQLException {
        Map<Integer, List<String>> primaries = primaryTables(cluster, table);
        Map<Integer, List<String>> replicas = replicaTables(cluster, table);
        for (int index = 0; index < 12; index++) {
            String partition = table + "_" + index;
            List<Integer> primaryHolders = holders(primaries, partition);
            List<Integer> replicaHolders = holders(replicas, partition);
            assertEquals(1, primaryHolders.size(), partition + " primaries " + primaries);
            assertEquals(1, replicaHolders.size(), partition + " replicas " + replicas);
            assertTrue(!primaryHolders.get(0).equals(replicaHolders.get(0)), partition + " has its replica on its primary's node");
        }
    }

    private static List<Integer> holders(Map<Integer, List<String>> tables, String partition) {
        List<Integer> result = new ArrayList<>();
        tables.forEach((worker, names) -> {
            if (names.contains(partition)) {
                result.add(worker);
            }
        });
        return result;
    }

    /** Every replica has the count and checksum of its primary within {@link #CONVERGENCE}. */
    private static void awaitReplicasMatchPrimaries(TestCluster cluster, String table) throws Exception {
        Map<Integer, List<String>> primaries = primaryTables(cluster, table);
        Map<Integer, List<String>> replicas = replicaTables(cluster, table);
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        String mismatch = "";
        while (System.nanoTime() < deadline) {
            mismatch = "";
            for (int index = 0; index < 12 && mismatch.isEmpty(); index++) {
                String partition = table + "_" + index;
                String primary = fingerprint(cluster, holders(primaries, partition).get(0), partition);
                String copy = fingerprint(cluster, holders(replicas, partition).get(0), partition);
                if (!primary.equals(copy)) {
                    mismatch = partition + ": primary " + primary + ", replica " + copy;
                }
            }
            if (mismatch.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("replicas did not catch up within " + CONVERGENCE + ": " + mismatch);
    }

    private static void assertNoReplicationLeft(TestCluster cluster) throws SQLException {
        assertEquals(0L, countOnAll(cluster, "SELECT count(*) FROM pg_subscription WHERE subname LIKE 'shardman\\_%'"));
        assertEquals(0L, countOnAll(cluster, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'shardman\\_%'"));
        assertEquals(0L, countOnAll(cluster, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'shardman\\_%'"));
    }

    private static long countOnAll(TestCluster cluster, String sql) throws SQLException {
        long total = 0;
        for (int worker = 1; worker <= WORKERS; worker++) {
            total += queryLong(cluster, worker, sql);
        }
        return total;
    }
}
