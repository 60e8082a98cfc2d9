package dev.shardman.cli.apply;

import dev.shardman.cli.docs.JsonSchemas;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * apply, plan, drift-check, recover and status through the real command line on 3 real workers:
 * the example spec applies (replicas and the shared table included), rows route to the partitions
 * they hash to, a second apply changes nothing, hand-made drift is named and repaired.
 */
@LocalClusterTest(workers = 3)
public class ApplyIT {
    private static final int ROWS = 10_000;

    @TempDir
    Path directory;

    @Test
    void appliesTheExampleAndServesQueriesThenConverges(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.example(cluster, directory, 3);

        CliRun first = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, first.exitCode(), first.out() + first.err());
        assertTrue(first.out().contains("✓ w1 will be registered"), first.out());
        assertTrue(first.out().contains("Apply complete"), first.out());

        execute(cluster, 1, "INSERT INTO customers (id, name, country) SELECT g, 'customer ' || g, CASE WHEN g % 2 = 0 THEN 'FR' ELSE 'DE' END"
                + " FROM generate_series(1, " + ROWS + ") AS g");
        StringBuilder orders = new StringBuilder();
        for (int id = 1; id <= ROWS; id++) {
            orders.append(id).append('\t').append(1).append('\t').append(id % 100).append(".50\tFR\n");
        }
        try (Connection w2 = cluster.connect(cluster.worker(2))) {
            long copied = w2.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY orders (customer_id, order_id, amount, country) FROM STDIN", new StringReader(orders.toString()));
            assertEquals(ROWS, copied);
        }

        assertEquals(ROWS, queryLong(cluster, 3, "SELECT count(*) FROM customers"));
        assertEquals(ROWS, queryLong(cluster, 3, "SELECT count(*) FROM orders"));
        assertEquals(1L, queryLong(cluster, 3, "SELECT count(*) FROM customers WHERE id = 4242 AND name = 'customer 4242'"));
        long expectedSum = 0;
        for (int id = 1; id <= ROWS; id++) {
            expectedSum += (id % 100) * 100L + 50;
        }
        assertEquals(expectedSum, queryLong(cluster, 3, "SELECT (sum(amount) * 100)::bigint FROM orders"));
        assertEquals(ROWS, queryLong(cluster, 3, "SELECT count(*) FROM customers c JOIN orders o ON o.customer_id = c.id"));
        assertEachPartitionHoldsItsOwnRows(cluster);
        String explain = queryText(cluster, 3, "EXPLAIN (COSTS OFF) SELECT country, count(*) FROM customers GROUP BY country");
        assertTrue(explain.contains("Async Foreign Scan"), explain);

        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.out() + plan.err());
        CliRun livePlanJson = CliRun.of("plan", "-f", spec.toString(), "--json");
        assertEquals(0, livePlanJson.exitCode(), livePlanJson.out() + livePlanJson.err());
        JsonSchemas.PLAN.assertValid(livePlanJson.out());
        CliRun second = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertTrue(second.out().contains("No changes"), second.out());
        CliRun inSync = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, inSync.exitCode(), inSync.out() + inSync.err());
        CliRun inSyncJson = CliRun.of("drift-check", "-f", spec.toString(), "--json");
        assertEquals(0, inSyncJson.exitCode(), inSyncJson.out() + inSyncJson.err());
        JsonSchemas.DRIFT_CHECK.assertValid(inSyncJson.out());

        CliRun status = CliRun.of("status", "-f", spec.toString());
        assertEquals(0, status.exitCode(), status.out() + status.err());
        assertTrue(status.out().contains("w3") && status.out().contains("reachable") && status.out().contains("customers"), status.out());
        CliRun statusJson = CliRun.of("status", "-f", spec.toString(), "--json");
        assertTrue(statusJson.out().contains("\"primaries\" : 8"), statusJson.out());
        JsonSchemas.STATUS.assertValid(statusJson.out());
        // a shared table is where its master and copies are, not "0 partitions, redundancy 0"
        assertTrue(status.out().contains("countries            shared   master w1, copies on w2, w3"), status.out());
        assertTrue(statusJson.out().contains("\"master\" : \"w1\",\n    \"copies\" : [ \"w2\", \"w3\" ]"), statusJson.out());
        java.util.regex.Matcher lastApply = java.util.regex.Pattern.compile("Last apply: (\\d+) of \\1 steps done").matcher(status.out());
        assertTrue(lastApply.find() && Integer.parseInt(lastApply.group(1)) > 1, status.out());

        execute(cluster, 1, "DROP FOREIGN TABLE customers_1_fdw");
        execute(cluster, 2, "DROP SERVER shardman_node_3 CASCADE");
        execute(cluster, 3, "DROP INDEX customers_country_idx_2");
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(2, drift.exitCode(), drift.out() + drift.err());
        assertTrue(drift.out().contains("w1: foreign partition public.customers_1_fdw"), drift.out());
        assertTrue(drift.out().contains("w2: foreign server shardman_node_3"), drift.out());
        assertTrue(drift.out().contains("w3: partition index public.customers_country_idx_2"), drift.out());
        CliRun driftJson = CliRun.of("drift-check", "-f", spec.toString(), "--json");
        assertEquals(2, driftJson.exitCode());
        assertTrue(driftJson.out().contains("\"in_sync\" : false"), driftJson.out());
        JsonSchemas.DRIFT_CHECK.assertValid(driftJson.out());
        java.util.Map<String, String> codes = new java.util.TreeMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(driftJson.out()).get("drift")
                .forEach(found -> codes.put(found.get("node").asText() + ": " + found.get("object").asText(), found.get("code").asText()));
        assertEquals("missing", codes.get("w1: foreign partition public.customers_1_fdw"), codes.toString());
        assertEquals("missing", codes.get("w3: partition index public.customers_country_idx_2"), codes.toString());

        CliRun recover = CliRun.of("recover", "-f", spec.toString());
        assertEquals(0, recover.exitCode(), recover.out() + recover.err());
        assertTrue(recover.out().contains("w1: + foreign partition public.customers_1_fdw"), recover.out());
        CliRun repaired = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, repaired.exitCode(), repaired.out() + repaired.err());
        assertEquals(ROWS, queryLong(cluster, 1, "SELECT count(*) FROM customers"));
        assertEquals(ROWS, queryLong(cluster, 2, "SELECT count(*) FROM orders"));
        CliRun nothing = CliRun.of("recover", "-f", spec.toString());
        assertTrue(nothing.out().contains("Nothing to recover"), nothing.out());
    }

    @Test
    void schemaChangesApplyColumnsIndexesAndDropsWithTheirFlags(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("v1.yaml"), 3, ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS);
        assertEquals(0, CliRun.of("apply", "-f", spec.toString(), "--auto-approve").exitCode());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 500) AS g");

        String customers = ClusterSpecFiles.CUSTOMERS
                .replace("      - {name: created_at,", "      - {name: email, type: text}\n      - {name: created_at,")
                .replace("{name: customers_country_idx, columns: [country]}",
                        "{name: customers_country_idx, columns: [country, name]}\n      - {name: customers_email_idx, columns: [email], unique: true}");
        Path changed = ClusterSpecFiles.write(cluster, directory.resolve("v2.yaml"), 3, customers);
        CliRun refused = CliRun.of("apply", "-f", changed.toString(), "--auto-approve");
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("--allow-destroy"), refused.err());

        assertBlockedStepNamesItsLockHolderAndStatusCountsThePlan(cluster, changed);

        CliRun applied = CliRun.of("apply", "-f", changed.toString(), "--auto-approve", "--allow-destroy");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        assertTrue(applied.out().contains("✓") && applied.out().contains("orders"), applied.out());
        assertEquals(0, CliRun.of("plan", "-f", changed.toString(), "--detailed-exitcode").exitCode());
        CliRun drift = CliRun.of("drift-check", "-f", changed.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        assertEquals(0L, queryLong(cluster, 2, "SELECT count(*) FROM pg_class WHERE relname LIKE 'orders%'"));
        execute(cluster, 3, "UPDATE customers SET email = 'c' || id || '@example.com' WHERE id <= 10");
        assertEquals(500L, queryLong(cluster, 2, "SELECT count(*) FROM customers"));
        assertEquals(10L, queryLong(cluster, 1, "SELECT count(email) FROM customers"));
    }

    /**
     * A client holding a lock on customers on w2: the step that needs it fails naming the node, the table and the session
     * (pid, application_name, since when); status then counts the failed run against its plan's steps, not the journal's.
     */
    private static void assertBlockedStepNamesItsLockHolderAndStatusCountsThePlan(TestCluster cluster, Path spec) throws Exception {
        try (Connection blocker = cluster.connect(cluster.worker(2)); Statement statement = blocker.createStatement()) {
            statement.execute("SET application_name = 'rough-blocker'");
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE ONLY customers IN ACCESS SHARE MODE");
            int pid = blocker.unwrap(PGConnection.class).getBackendPID();
            // a short --lock-wait: the rounds that follow the first lock timeout are BusyClientsIT's; here only the naming
            CliRun blocked = CliRun.of("apply", "-f", spec.toString(), "--auto-approve", "--allow-destroy", "--lock-wait", "5s");
            blocker.rollback();
            assertEquals(1, blocked.exitCode(), blocked.out() + blocked.err());
            String error = blocked.out() + blocked.err();
            assertTrue(error.contains("canceling statement due to lock timeout"), error);
            assertTrue(error.contains("lock timeout on w2 taking locks on \"public\".\"customers\": held by pid " + pid
                    + " (application_name 'rough-blocker', idle in transaction"), error);
            assertTrue(error.contains(", in its transaction since 20"), error);
            long planned = CliRun.of("plan", "-f", spec.toString(), "--allow-destroy").out().lines().filter(line -> line.matches("  \\S+ .*")).count();
            CliRun status = CliRun.of("status", "-f", spec.toString());
            java.util.regex.Matcher counts = java.util.regex.Pattern.compile("Last apply: (\\d+) of (\\d+) steps done, 1 failed").matcher(status.out());
            assertTrue(counts.find(), status.out());
            assertEquals(planned + Long.parseLong(counts.group(1)), Long.parseLong(counts.group(2)), blocked.out() + status.out());
            String json = CliRun.of("status", "-f", spec.toString(), "--json").out();
            assertTrue(json.contains("\"steps\" : " + counts.group(2) + ",\n    \"done\" : " + counts.group(1) + ",\n    \"failed\" : 1,"), json);
        }
    }

    @Test
    void nodesLeaveAndJoinAndTheSameServerIsNotRegisteredTwice(TestCluster cluster) throws Exception {
        Path three = ClusterSpecFiles.write(cluster, directory.resolve("three.yaml"), 3, "  []\n");
        assertEquals(0, CliRun.of("apply", "-f", three.toString(), "--auto-approve").exitCode());
        String twin = Files.readString(three).replace("tables:", """
                  - name: w4
                    super_conninfo: "%s"
                    replication_group: rg1
                tables:""".formatted(cluster.withDatabase("postgres").conninfo(cluster.worker(3)).replace("127.0.0.1", "127.1")));
        Path withTwin = Files.writeString(directory.resolve("twin.yaml"), twin);
        CliRun refused = CliRun.of("apply", "-f", withTwin.toString(), "--auto-approve");
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        // 127.1 spells w3's address another way, so validation cannot see it; plan compares the system identifiers
        assertTrue(refused.err().contains("w4 is the same server as w3 (system identifier ") && refused.err().contains(" database postgres)"),
                refused.err());
        CliRun planned = CliRun.of("plan", "-f", withTwin.toString());
        assertEquals(1, planned.exitCode(), planned.out() + planned.err());
        assertTrue(planned.err().contains("w4 is the same server as w3"), planned.err());

        Path two = ClusterSpecFiles.write(cluster, directory.resolve("two.yaml"), 2, "  []\n");
        CliRun removed = CliRun.of("apply", "-f", two.toString(), "--auto-approve");
        assertEquals(0, removed.exitCode(), removed.out() + removed.err());
        assertTrue(removed.out().contains("✓ w3 will be removed from the cluster"), removed.out());
        assertEquals(0L, queryLong(cluster, 3, "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shardman_node_%'"));
        assertEquals(1L, queryLong(cluster, 1, "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shardman_node_%'"));
        assertEquals(0, CliRun.of("drift-check", "-f", two.toString()).exitCode());

        Path back = ClusterSpecFiles.write(cluster, directory.resolve("back.yaml"), 3, ClusterSpecFiles.CUSTOMERS);
        CliRun joined = CliRun.of("apply", "-f", back.toString(), "--auto-approve");
        assertEquals(0, joined.exitCode(), joined.out() + joined.err());
        assertEquals(0, CliRun.of("drift-check", "-f", back.toString()).exitCode());
    }

    private static void assertEachPartitionHoldsItsOwnRows(TestCluster cluster) throws SQLException {
        long total = 0;
        for (int worker = 1; worker <= 3; worker++) {
            try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
                 ResultSet partitions = statement.executeQuery("""
                         SELECT c.relname, substring(c.relname from '_(\\d+)$')::int FROM pg_class c
                         JOIN pg_inherits i ON i.inhrelid = c.oid WHERE i.inhparent = 'public.customers'::regclass AND c.relkind = 'r'""")) {
                java.util.List<String[]> local = new java.util.ArrayList<>();
                while (partitions.next()) {
                    local.add(new String[] {partitions.getString(1), partitions.getString(2)});
                }
                for (String[] partition : local) {
                    try (Statement check = connection.createStatement(); ResultSet row = check.executeQuery("SELECT count(*), count(*) FILTER (WHERE NOT "
                            + "satisfies_hash_partition('public.customers'::regclass, 12, " + partition[1] + ", id)) FROM public." + partition[0])) {
                        row.next();
                        assertEquals(0L, row.getLong(2), partition[0] + " on w" + worker + " holds rows of another partition");
                        total += row.getLong(1);
                    }
                }
            }
        }
        assertEquals(ROWS, total, "the local partitions together hold every row once");
    }

    private static String queryText(TestCluster cluster, int worker, String sql) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                text.append(rows.getString(1)).append('\n');
            }
        }
        return text.toString();
    }
}
