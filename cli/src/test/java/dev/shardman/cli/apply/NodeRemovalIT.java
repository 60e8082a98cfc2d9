package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.fingerprint;
import static dev.shardman.cli.testkit.WorkerSql.localPartitions;
import static dev.shardman.cli.testkit.WorkerSql.replicaTables;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas moved onto a joining node, then that live node taken out of the spec again: a sharded table with
 * redundancy 2 (3 partitions, so that w4 never holds a primary: draining primaries is MovePrimary's) and a shared
 * table on w1..w3, plus a table without replicas whose 4 partitions sit 2/1/1; w4 joins: replicas move to it (the new
 * copy in sync before the old one goes) and one primary (MovePrimary); then w4, holding replicas, a primary, a
 * shared-table copy and a table the user created there by hand, leaves. Apply drains w4 (its replicas
 * move back to w1..w3), drops its channels and unregisters it: nothing of
 * shardman's remains on w4 (no shardman_ slot, publication, subscription, foreign server or foreign table, no
 * parent), its tables with data are still there (the user's table, the shared table's copy now a plain table
 * under its own name, the primary it gave back restored from the move's retired copy with its rows and name), drift-check exits 0 and the survivors hold every row with every partition replicated twice.
 */
@LocalClusterTest(workers = 4)
class NodeRemovalIT {
    private static final int ROWS = 600;
    /** Without replicas, 4 partitions: 2/1/1 on w1..w3, so that w4 joining takes a primary (MovePrimary) and gives it back when it leaves. */
    private static final String EVENTS = """
              - name: events
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: payload, type: text}
                primary_key: [id]
                sharding_key: id
                partitions: 4
                redundancy: 0
            """;

    @TempDir
    Path directory;

    @Test
    void aRemovedLiveNodeIsDrainedUnregisteredAndKeepsOnlyItsTablesWithData(TestCluster cluster) throws Exception {
        // 3 partitions with redundancy 2 on w1..w3; w4 joins: it gets replicas moved to it (MoveReplica), never a primary
        String tables = ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3").replace("redundancy: 1", "redundancy: 2")
                + ClusterSpecFiles.COUNTRIES + EVENTS;
        Path three = ClusterSpecFiles.write(cluster, directory.resolve("three.yaml"), 3, tables);
        CliRun created = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS / 2 + ") AS g");
        Path four = ClusterSpecFiles.write(cluster, directory.resolve("four.yaml"), 4, tables);
        CliRun applied = CliRun.of("apply", "-f", four.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        assertTrue(applied.out().contains("→ replica of customers_"), applied.out());
        assertTrue(applied.out().contains("→ events_"), applied.out());
        execute(cluster, 2, "INSERT INTO events (id, payload) SELECT g, 'event ' || g FROM generate_series(1, " + ROWS + ") AS g");
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(" + (ROWS / 2 + 1) + ", " + ROWS + ") AS g");
        execute(cluster, 2, "INSERT INTO countries (code, name) VALUES ('FR', 'France'), ('DE', 'Germany')");
        execute(cluster, 4, "CREATE TABLE public.my_notes (id int PRIMARY KEY, note text)");
        execute(cluster, 4, "INSERT INTO public.my_notes VALUES (1, 'mine'), (2, 'also mine')");
        List<String> replicasOnW4 = replicaTables(cluster, 4);
        assertFalse(replicasOnW4.isEmpty(), "w4 holds no replica: the drain would move nothing");
        assertTrue(localPartitions(cluster, 4).isEmpty(), "w4 holds a primary of customers");
        List<String> eventsOnW4 = strings(cluster, 4, "SELECT c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid"
                + " WHERE i.inhparent = 'public.events'::regclass AND c.relkind = 'r' ORDER BY 1");
        assertEquals(1, eventsOnW4.size(), "w4 holds one primary of events: " + eventsOnW4);
        String eventsFingerprint = fingerprint(cluster, 4, eventsOnW4.get(0));
        awaitCount(cluster, 4, "SELECT count(*) FROM shardman_shared.countries", 2);

        CliRun removed = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, removed.exitCode(), removed.out() + removed.err());
        assertTrue(removed.out().contains("w4 will be removed from the cluster"), removed.out());
        System.out.println(removed.out());

        assertEquals(0L, shardlordLong(cluster, "SELECT count(*) FROM shardman.nodes WHERE name = 'w4'"));
        for (String sql : List.of("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'shardman%'",
                "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_subscription WHERE subname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_foreign_table",
                "SELECT count(*) FROM pg_class WHERE relkind = 'p'",
                "SELECT count(*) FROM pg_proc WHERE proname LIKE 'shardman%' OR proname LIKE '%_shardman_write'",
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'shardman%'")) {
            assertEquals(0L, queryLong(cluster, 4, sql), "left on w4: " + sql);
        }
        assertEquals("none", strings(cluster, 4, "SELECT coalesce(nullif(current_setting('synchronous_standby_names'), ''), 'none')").get(0));
        assertEquals(2L, queryLong(cluster, 4, "SELECT count(*) FROM public.my_notes"), "the user's own table on w4");
        assertEquals(2L, queryLong(cluster, 4, "SELECT count(*) FROM public.countries"), "the shared table's copy, kept as a plain table");
        assertEquals(eventsFingerprint, fingerprint(cluster, 4, eventsOnW4.get(0)), "w4's old primary of events, restored with its rows");
        assertEquals(0L, queryLong(cluster, 4, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'shardman%'"), "shardman schemas left on w4");

        for (int worker = 1; worker <= 3; worker++) {
            assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM customers"), "rows through w" + worker);
            assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM events"), "events through w" + worker);
            assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shardman%' AND "
                    + "srvoptions::text LIKE '%port=" + cluster.worker(4).port() + "%'"), "a server to w4 left on w" + worker);
        }
        for (String partition : List.of("customers_0", "customers_1", "customers_2")) {
            awaitReplicasOnSurvivors(cluster, partition);
        }
        CliRun drift = CliRun.of("drift-check", "-f", three.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        CliRun again = CliRun.of("plan", "-f", three.toString());
        assertTrue(again.out().contains("No changes"), again.out() + again.err());
    }

    /** The partition has its primary and two replicas on w1..w3, the replicas with the primary's rows. */
    private static void awaitReplicasOnSurvivors(TestCluster cluster, String partition) throws Exception {
        int primary = 0;
        List<Integer> replicas = new java.util.ArrayList<>();
        for (int worker = 1; worker <= 3; worker++) {
            if (localPartitions(cluster, worker).contains(partition)) {
                primary = worker;
            }
            if (replicaTables(cluster, worker).contains(partition)) {
                replicas.add(worker);
            }
        }
        assertTrue(primary > 0 && replicas.size() == 2, partition + ": primary on w" + primary + ", replicas on " + replicas);
        String want = fingerprint(cluster, primary, partition);
        for (int replica : replicas) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!fingerprint(cluster, replica, partition).equals(want)) {
                assertTrue(System.nanoTime() < deadline, partition + " on w" + replica + " does not match its primary: " + want);
                Thread.sleep(200);
            }
        }
    }

    private static void awaitCount(TestCluster cluster, int worker, String sql, long count) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (queryLong(cluster, worker, sql) != count) {
            assertTrue(System.nanoTime() < deadline, sql + " on w" + worker + " never gave " + count);
            Thread.sleep(200);
        }
    }

    static long shardlordLong(TestCluster cluster, String sql) throws SQLException {
        try (var connection = cluster.connect(cluster.shardlord()); var statement = connection.createStatement();
             var row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }


}
