package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ConcurrentWriter;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.cli.testkit.WriterLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.shardlordStrings;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source of a move dies after the move's cutover committed: the rebalance onto a new w4 (redundancy 1) is killed
 * when a move from w2 or w3 enters its verification, a writer goes on through another survivor (its writes to the
 * moved unit reach w4 through the source's proxy), then the source is killed (SIGKILL) and marked lost. The
 * destination holds the newest copy, so apply must finish the move forward without the source (saying so loudly),
 * never promote the unit's older replica over it, then fail the rest of the source over. Every acknowledged insert
 * into the moved unit is present through every survivor; drift-check finds nothing.
 */
@LocalClusterTest(workers = 4)
public class MoveLostSourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void aSourceLostAfterTheCutoverLeavesTheDestinationsNewestCopyInPlace(TestCluster cluster) throws Exception {
        sourceLostAt(cluster, "verify");
    }

    /** The metadata already names the destination (chaos seed 5026: apply's preview moved the unit a second time and failed). */
    @Test
    void aSourceLostInTheMovesCleanupLeavesTheCommittedMoveInPlace(TestCluster cluster) throws Exception {
        sourceLostAt(cluster, "cleanup");
    }

    /** The first move of the rebalance onto w4 killed at {@code phase}, then its source killed and marked lost. */
    private void sourceLostAt(TestCluster cluster, String phase) throws Exception {
        RebalanceFixture.setUp(cluster, directory, 1);
        Path four = RebalanceFixture.spec(cluster, directory, 4, 1);
        String move = firstMoveNotFrom(four, "w1"); // w1 is the shared table's master: it stays
        int index = Integer.parseInt(move.replaceAll("^move-primary:items_(\\d+)$", "$1"));
        KilledApply.at(directory, four, move + "@" + phase);
        List<String> inFlight = shardlordStrings(cluster, "SELECT from_node || ' ' || to_node || ' ' || phase FROM shardman.moves"
                + " WHERE phase NOT IN ('done', 'rolled-back')");
        assertEquals(1, inFlight.size(), "one move in flight: " + inFlight);
        assertTrue(inFlight.get(0).endsWith(" w4 " + phase), inFlight.get(0));
        int source = Integer.parseInt(inFlight.get(0).substring(1, inFlight.get(0).indexOf(' ')));
        int writerWorker = source == 2 ? 3 : 2;

        ConcurrentWriter writer = ConcurrentWriter.start(cluster, writerWorker, "items", RebalanceFixture.FIRST_NEW_ID, RebalanceFixture.ITEMS,
                RebalanceFixture.WRITER_RATE);
        WriterLog log;
        try {
            Thread.sleep(3_000);
            // rows of the moved unit written after the cutover: they exist on w4 only
            WorkerSql.execute(cluster, writerWorker, "INSERT INTO items (id, val, note) SELECT g, 0, 'after the cutover'"
                    + " FROM generate_series(5000000::bigint, 5004999) g WHERE satisfies_hash_partition('public.items'::regclass, 24, " + index + ", g)");
            long afterCutover = queryLong(cluster, 4, "SELECT count(*) FROM items_" + index + " WHERE note = 'after the cutover'");
            assertTrue(afterCutover > 100, "rows of items_" + index + " written after the cutover reached w4: " + afterCutover);
            KilledWorker.kill(cluster, source);
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(four).replace("  - name: w" + source + "\n", "  - name: w" + source + "\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(8), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            String output = failover.out() + failover.err();
            assertEquals(0, failover.exitCode(), output);
            assertTrue(output.contains("without its source w" + source), "apply says loudly the move finished without its source: " + output);
            Thread.sleep(1_000);
            log = writer.stop();

            List<Long> acknowledgedInUnit = inUnit(cluster, writerWorker, index, new ArrayList<>(log.inserted()));
            for (int survivor = 1; survivor <= 4; survivor++) {
                if (survivor == source) {
                    continue;
                }
                assertEquals(afterCutover, queryLong(cluster, survivor, "SELECT count(*) FROM items WHERE note = 'after the cutover'"),
                        "rows written after the cutover, through w" + survivor);
                assertEquals(acknowledgedInUnit.size(), present(cluster, survivor, acknowledgedInUnit),
                        "the writer's acknowledged inserts into items_" + index + " through w" + survivor + " (" + log.describe() + ")");
            }
            System.out.println("MoveLostSourceIT: " + afterCutover + " rows after the cutover, " + acknowledgedInUnit.size()
                    + " acknowledged writer inserts in items_" + index + ", all present; writer: " + log.describe());
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            writer.close();
            KilledWorker.restart(cluster, 4);
        }
    }

    /** The first move-primary step of the plan to {@code spec} whose source is not {@code node}. */
    private static String firstMoveNotFrom(Path spec, String node) throws Exception {
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--json");
        for (JsonNode step : JSON.readTree(plan.out()).get("steps")) {
            String id = step.get("id").asText();
            if (id.startsWith("move-primary:items_") && !step.get("description").asText().contains("from " + node + " ")) {
                return id;
            }
        }
        throw new AssertionError("no move from a node other than " + node + ": " + plan.out());
    }

    /** Those of {@code ids} that hash into partition {@code index} of items. */
    private static List<Long> inUnit(TestCluster cluster, int worker, int index, List<Long> ids) throws Exception {
        try (Connection connection = cluster.connect(cluster.worker(worker));
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT id FROM unnest(?::bigint[]) id WHERE satisfies_hash_partition('public.items'::regclass, 24, ?, id)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            statement.setArray(1, array);
            statement.setInt(2, index);
            List<Long> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getLong(1));
                }
            }
            return result;
        }
    }

    private static long present(TestCluster cluster, int worker, List<Long> ids) throws Exception {
        try (Connection connection = cluster.connect(cluster.worker(worker));
             PreparedStatement statement = connection.prepareStatement("SELECT count(DISTINCT id) FROM items WHERE id = ANY (?::bigint[])")) {
            statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
