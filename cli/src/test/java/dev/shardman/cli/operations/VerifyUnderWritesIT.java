package dev.shardman.cli.operations;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.ConcurrentWriter;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.cli.testkit.WriterCheck;
import dev.shardman.cli.testkit.WriterLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * verify while an application writes (the ConcurrentWriter through w3, about 200 statements a second over
 * the 24 partitions of items, each with one replica): with --fence-writes it exits 0 every time (a copy
 * that the unlocked attempts caught mid-write is compared again with writes blocked, exactly) and costs the
 * writer no error; a row deleted by hand from one replica is still found under the writes, by the fenced
 * comparison, named with both figures (exit 2).
 */
@LocalClusterTest(workers = 3)
class VerifyUnderWritesIT {
    private static final int LOADED = 50_000;
    /** The writer updates ids 1..40,000 only, so ids above are never written during the test. */
    private static final int WRITTEN_IDS = 40_000;
    private static final long UNTOUCHED_ID = 45_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void fencedVerifyIsExactUnderWritesAndStillFindsAMissingRow(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 3, RebalanceFixture.TABLES.replace("redundancy: 0", "redundancy: 1"));
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        StringBuilder items = new StringBuilder();
        for (int id = 1; id <= LOADED; id++) {
            items.append(id).append("\t0\titem ").append(id).append('\n');
        }
        try (Connection w1 = cluster.connect(cluster.worker(1))) {
            w1.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY items (id, val, note) FROM STDIN", new StringReader(items.toString()));
        }

        ConcurrentWriter writer = ConcurrentWriter.start(cluster, RebalanceFixture.WRITER_WORKER, "items", RebalanceFixture.FIRST_NEW_ID,
                WRITTEN_IDS, RebalanceFixture.WRITER_RATE);
        WriterLog log;
        List<String> unfenced = new ArrayList<>();
        try {
            Thread.sleep(500);
            for (int run = 1; run <= 3; run++) {
                CliRun fenced = CliRun.of("verify", "-f", spec.toString(), "--fence-writes", "--json");
                assertEquals(0, fenced.exitCode(), "fenced verify " + run + " under writes: " + fenced.out() + fenced.err());
                System.out.println("VerifyUnderWritesIT fenced run " + run + ": " + fencedNotes(JSON.readTree(fenced.out())));
                CliRun plain = CliRun.of("verify", "-f", spec.toString(), "--json");
                unfenced.add("exit " + plain.exitCode() + ", " + JSON.readTree(plain.out()).get("summary").get("mismatched").asInt() + " mismatched");
            }

            String partition = strings(cluster, 1, "SELECT tableoid::regclass::text FROM items WHERE id = " + UNTOUCHED_ID).get(0).replace("_fdw", "");
            int replicaHolder = replicaHolder(cluster, partition);
            long rows = queryLong(cluster, replicaHolder, "SELECT count(*) FROM public." + partition);
            try (Connection connection = cluster.connect(cluster.worker(replicaHolder)); Statement statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
                statement.execute("DELETE FROM public." + partition + " WHERE id = " + UNTOUCHED_ID);
            }
            CliRun mismatch = CliRun.of("verify", "-f", spec.toString(), "--fence-writes", "--attempts", "2", "--json");
            assertEquals(2, mismatch.exitCode(), mismatch.out() + mismatch.err());
            JsonNode report = JSON.readTree(mismatch.out());
            assertEquals(1, report.get("summary").get("mismatched").asInt(), mismatch.out());
            JsonNode named = null;
            for (JsonNode comparison : report.get("comparisons")) {
                if (!comparison.get("match").asBoolean()) {
                    named = comparison;
                }
            }
            assertEquals(partition, named.get("name").asText(), mismatch.out());
            assertEquals("w" + replicaHolder, named.get("copy").get("node").asText());
            assertEquals(3, named.get("attempts").asInt(), "two unlocked attempts, then the fenced one");
            assertTrue(named.get("note").asText().startsWith("compared with writes to the primary blocked for "), named.toString());
            assertEquals(named.get("source").get("rows").asLong() - 1, named.get("copy").get("rows").asLong(), named.toString());
            assertTrue(named.get("source").get("rows").asLong() >= rows, "the primary only grows: " + named);
        } finally {
            log = writer.stop();
        }
        System.out.println("VerifyUnderWritesIT unfenced runs under writes: " + unfenced + "; writer: " + log.describe());
        assertEquals(0, log.errors(), "the fence cost the writer no error: " + log.describe());
        for (int worker = 1; worker <= 3; worker++) {
            WriterCheck check = WriterCheck.of(cluster, worker, log);
            assertTrue(check.lost() == 0 && check.duplicated() == 0 && check.unexpected() == 0 && check.staleUpdates() == 0
                    && check.rows() == LOADED + log.inserted().size(), "w" + worker + ": " + check);
        }
    }

    private static String fencedNotes(JsonNode report) {
        List<String> notes = new ArrayList<>();
        for (JsonNode comparison : report.get("comparisons")) {
            if (!comparison.get("note").asText().isEmpty()) {
                notes.add(comparison.get("name").asText() + " on " + comparison.get("copy").get("node").asText() + ": " + comparison.get("note").asText());
            }
        }
        return notes.size() + " compared under the fence " + notes;
    }

    /** The worker where {@code partition} is a plain, unattached replica table. */
    private static int replicaHolder(TestCluster cluster, String partition) throws Exception {
        for (int worker = 1; worker <= 3; worker++) {
            if (queryLong(cluster, worker, "SELECT count(*) FROM pg_class WHERE relname = '" + partition + "' AND relkind = 'r' AND NOT relispartition") == 1) {
                return worker;
            }
        }
        throw new AssertionError("no worker holds a replica of " + partition);
    }
}
