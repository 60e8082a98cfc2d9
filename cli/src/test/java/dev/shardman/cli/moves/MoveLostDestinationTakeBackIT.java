package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.MOVE_OBJECTS;
import static dev.shardman.cli.testkit.WorkerSql.shardlordStrings;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The destination of a move dies after the cutover but before the metadata commit: the rebalance onto a new w4
 * (redundancy 0: no replica can follow w4, see SyncMoveDestinationLossIT for the roll forward when one does) is killed
 * once its first move switched every other node to w4 ({@code @switch-others-done}), rows of the moved unit are written
 * (they reach w4 only), then w4 is killed (SIGKILL) and marked lost. The metadata still
 * names the source; taking its copy back loses the rows written since the cutover, so apply refuses without
 * --allow-data-loss and changes nothing; with it the source takes its copy back (DATA LOSS warning), w4 fails over,
 * and the unit is readable and writable through every survivor; drift-check and verify find nothing.
 */
@LocalClusterTest(workers = 4)
class MoveLostDestinationTakeBackIT {

    @TempDir
    Path directory;

    @Test
    void aDestinationLostBeforeTheMetadataCommitNeedsAllowDataLossAndTheSourceTakesItsCopyBack(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory, 0);
        Path four = RebalanceFixture.spec(cluster, directory, 4, 0);
        String move = RebalanceFixture.pendingMoves(four).get(0);
        int index = Integer.parseInt(move.replaceAll("^move-primary:items_(\\d+)$", "$1"));
        long items = queryLong(cluster, 1, "SELECT count(*) FROM items");
        KilledApply.at(directory, four, move + "@switch-others-done");
        List<String> inFlight = shardlordStrings(cluster, "SELECT from_node || ' ' || to_node || ' ' || phase || ' ' || id FROM shardman.moves"
                + " WHERE phase NOT IN ('done', 'rolled-back')");
        assertEquals(1, inFlight.size(), "one move in flight: " + inFlight);
        String[] fields = inFlight.get(0).split(" ");
        assertEquals("w4 switch-others", fields[1] + " " + fields[2], inFlight.get(0));
        int source = Integer.parseInt(fields[0].substring(1));
        int other = source == 1 ? 2 : 1;
        WorkerSql.execute(cluster, other, "INSERT INTO items (id, val, note) SELECT g, 0, 'after the cutover'"
                + " FROM generate_series(5000000::bigint, 5004999) g WHERE satisfies_hash_partition('public.items'::regclass, 24, " + index + ", g)");
        long afterCutover = queryLong(cluster, 4, "SELECT count(*) FROM items_" + index + " WHERE note = 'after the cutover'");
        assertTrue(afterCutover > 100, "rows of items_" + index + " written after the cutover reached w4: " + afterCutover);

        try {
            KilledWorker.kill(cluster, 4);
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(four).replace("  - name: w4\n", "  - name: w4\n    lost: true\n"));
            List<String> sourceObjects = strings(cluster, source, MOVE_OBJECTS + " ORDER BY 1");

            CliRun refused = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            String refusal = refused.out() + refused.err();
            assertNotEquals(0, refused.exitCode(), refusal);
            assertTrue(refusal.contains("items_" + index) && refusal.contains("phase switch-others") && refusal.contains("--allow-data-loss")
                    && refusal.contains("since the cutover"), "the refusal names the partition, the phase, what is lost and the flag: " + refusal);
            assertEquals(List.of(inFlight.get(0)), shardlordStrings(cluster, "SELECT from_node || ' ' || to_node || ' ' || phase || ' ' || id"
                    + " FROM shardman.moves WHERE phase NOT IN ('done', 'rolled-back')"), "the move is untouched");
            assertEquals(sourceObjects, strings(cluster, source, MOVE_OBJECTS + " ORDER BY 1"), "the source's move objects are untouched");
            assertEquals(List.of("false"), shardlordStrings(cluster, "SELECT lost::text FROM shardman.nodes WHERE name = 'w4'"), "w4 not failed over yet");

            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(6),
                    () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve", "--allow-data-loss"));
            String output = failover.out() + failover.err();
            assertEquals(0, failover.exitCode(), output);
            assertTrue(output.contains("⚠ WARNING: DATA LOSS: w" + source + " took ") && output.contains("public.items_" + index),
                    "the DATA LOSS warning: " + output);
            assertEquals(List.of("rolled-back"), shardlordStrings(cluster, "SELECT phase FROM shardman.moves WHERE id = " + fields[3]));
            assertEquals(List.of("true"), shardlordStrings(cluster, "SELECT lost::text FROM shardman.nodes WHERE name = 'w4'"), "w4 failed over");
            for (int survivor = 1; survivor <= 3; survivor++) {
                assertEquals(List.of(), strings(cluster, survivor, MOVE_OBJECTS), "move objects left on w" + survivor);
                assertEquals(items, queryLong(cluster, survivor, "SELECT count(*) FROM items"),
                        "the rows up to the cutover through w" + survivor + " (those written since are lost with w4)");
            }
            for (int survivor = 1; survivor <= 3; survivor++) {
                WorkerSql.execute(cluster, survivor, "INSERT INTO items (id, val, note) SELECT g, 0, 'after the take-back'"
                        + " FROM generate_series(" + (7_000_000 + survivor * 10_000) + "::bigint, " + (7_009_999 + survivor * 10_000) + ") g"
                        + " WHERE satisfies_hash_partition('public.items'::regclass, 24, " + index + ", g)");
            }
            long written = queryLong(cluster, source, "SELECT count(*) FROM items_" + index + " WHERE note = 'after the take-back'");
            assertTrue(written > 100, "rows written to items_" + index + " through every survivor land on w" + source + ": " + written);
            for (int survivor = 1; survivor <= 3; survivor++) {
                assertEquals(written, queryLong(cluster, survivor, "SELECT count(*) FROM items WHERE note = 'after the take-back'"), "through w" + survivor);
            }
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            CliRun verify = CliRun.of("verify", "-f", lost.toString());
            assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        } finally {
            KilledWorker.restart(cluster, 4);
        }
    }
}
