package dev.shardman.cli.operations;

import dev.shardman.cli.docs.JsonSchemas;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shardman verify} on 3 real workers with the example (customers and orders with one replica
 * per partition, the shared table countries): right after writes it waits for the replicas and exits
 * 0; a row deleted by hand from one replica (past its read-only trigger) is a mismatch naming the
 * partition, both nodes and both figures (exit 2, text and JSON); a node that refuses connections is
 * an error naming it (exit 1).
 */
@LocalClusterTest(workers = 3)
public class VerifyIT {
    private static final int CUSTOMERS = 3_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void copiesMatchThenAReplicaMissingARowIsNamedAndAnUnreachableNodeIsAnError(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.example(cluster, directory, 3);
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + CUSTOMERS + ") AS g");
        execute(cluster, 2, "INSERT INTO orders (customer_id, order_id, amount) SELECT g, 1, g FROM generate_series(1, " + CUSTOMERS + ") AS g");
        execute(cluster, 3, "INSERT INTO countries VALUES ('FR', 'France'), ('DE', 'Germany')");

        CliRun clean = CliRun.of("verify", "-f", spec.toString());
        assertEquals(0, clean.exitCode(), clean.out() + clean.err());
        assertTrue(clean.out().contains("26 copies compared with their sources: 26 match, 0 differ."), clean.out());
        assertTrue(clean.out().contains("customers: " + CUSTOMERS + " rows in 12 source copies"), clean.out());
        CliRun consistentJson = CliRun.of("verify", "-f", spec.toString(), "--json");
        JsonSchemas.VERIFY.assertValid(consistentJson.out());
        JsonNode report = json(consistentJson);
        assertEquals("1", report.get("format_version").asText());
        assertTrue(report.get("consistent").asBoolean());
        assertEquals(25, report.get("summary").get("sources").asInt(), "12 + 12 partitions and one shared table");
        assertEquals(2L * CUSTOMERS + 2, report.get("summary").get("rows").asLong());
        assertEquals(26, report.get("comparisons").size(), "one replica per partition, and the countries copies on w2 and w3");
        JsonNode first = report.get("comparisons").get(0);
        assertEquals(List.of("kind", "table", "name", "match", "source", "copy", "attempts", "note"), fieldNames(first));
        assertEquals(List.of("node", "rows", "checksum"), fieldNames(first.get("source")));
        assertEquals(0, report.get("errors").size());

        int replicaHolder = 2;
        String partition = strings(cluster, replicaHolder, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relispartition AND c.relname ~ '^customers_[0-9]+$'
                ORDER BY c.relname LIMIT 1""").get(0);
        int primaryHolder = primaryHolder(cluster, partition);
        long rows = queryLong(cluster, primaryHolder, "SELECT count(*) FROM public." + partition);
        assertTrue(rows > 0, partition + " holds rows");
        try (Connection connection = cluster.connect(cluster.worker(replicaHolder)); Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.execute("DELETE FROM public." + partition + " WHERE id = (SELECT min(id) FROM public." + partition + ")");
        }

        CliRun mismatch = CliRun.of("verify", "-f", spec.toString(), "--attempts", "2");
        assertEquals(2, mismatch.exitCode(), mismatch.out() + mismatch.err());
        assertTrue(mismatch.out().contains("  " + partition + " (replica on w" + replicaHolder + "): primary on w" + primaryHolder + " has "
                + rows + " rows, checksum "), mismatch.out());
        assertTrue(mismatch.out().contains("; replica on w" + replicaHolder + " has " + (rows - 1) + " rows, checksum "), mismatch.out());
        assertTrue(mismatch.out().contains("(2 attempts)"), "read again before it is reported: " + mismatch.out());
        assertTrue(mismatch.out().contains("26 copies compared with their sources: 25 match, 1 differ."), mismatch.out());
        CliRun mismatchJson = CliRun.of("verify", "-f", spec.toString(), "--json", "--attempts", "1");
        assertEquals(2, mismatchJson.exitCode(), mismatchJson.out() + mismatchJson.err());
        JsonSchemas.VERIFY.assertValid(mismatchJson.out());
        JsonNode differs = json(mismatchJson);
        assertFalse(differs.get("consistent").asBoolean());
        assertEquals(1, differs.get("summary").get("mismatched").asInt());
        JsonNode named = null;
        for (JsonNode comparison : differs.get("comparisons")) {
            if (!comparison.get("match").asBoolean()) {
                named = comparison;
            }
        }
        assertTrue(named != null, differs.toString());
        assertEquals(partition, named.get("name").asText());
        assertEquals("replica", named.get("kind").asText());
        assertEquals("w" + primaryHolder, named.get("source").get("node").asText());
        assertEquals(rows, named.get("source").get("rows").asLong());
        assertEquals("w" + replicaHolder, named.get("copy").get("node").asText());
        assertEquals(rows - 1, named.get("copy").get("rows").asLong());

        setConnectionsAllowed(cluster, 3, false);
        try {
            CliRun unreachable = CliRun.of("verify", "-f", spec.toString(), "--json");
            assertEquals(1, unreachable.exitCode(), unreachable.out() + unreachable.err());
            JsonSchemas.VERIFY.assertValid(unreachable.out());
            JsonNode errors = json(unreachable).get("errors");
            assertEquals(1, errors.size(), errors.toString());
            assertEquals("w3", errors.get(0).get("node").asText());
            assertEquals(List.of("node", "object", "reason"), fieldNames(errors.get(0)));
            assertTrue(errors.get(0).get("reason").asText().contains("node w3"), errors.toString());
            CliRun text = CliRun.of("verify", "-f", spec.toString());
            assertEquals(1, text.exitCode(), text.out() + text.err());
            assertTrue(text.out().contains("Could not read:\n  w3: the node: cannot connect to node w3"), text.out());
            assertFalse(text.out().toLowerCase(java.util.Locale.ROOT).contains("password="), text.out());
        } finally {
            setConnectionsAllowed(cluster, 3, true);
        }
    }

    /** The worker where {@code partition} is attached as a local partition. */
    private static int primaryHolder(TestCluster cluster, String partition) throws Exception {
        for (int worker = 1; worker <= 3; worker++) {
            if (queryLong(cluster, worker, "SELECT count(*) FROM pg_class WHERE relname = '" + partition + "' AND relispartition") == 1) {
                return worker;
            }
        }
        throw new AssertionError("no worker holds the primary of " + partition);
    }

    private static JsonNode json(CliRun run) throws Exception {
        return JSON.readTree(run.out());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
