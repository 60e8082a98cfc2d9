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
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The destination of a move dies once the move's metadata committed: the rebalance onto a new w4 (redundancy 1) is
 * killed right after its first move's metadata commit ({@code @commit-done}, phase cleanup), then w4 is killed
 * (SIGKILL) and marked lost in the spec. Recover names w4 and skips it, finishes the move on the live nodes only (the
 * source's slot and publication dropped, its retired copy kept and said so) and records it finished; apply then fails
 * w4 over to the unit's replica: exit 0, every row present through every survivor, drift-check and verify 0 (the
 * seed-702 chaos round).
 */
@LocalClusterTest(workers = 4)
class MoveLostDestinationIT {

    @TempDir
    Path directory;

    @Test
    void aDestinationLostAfterTheMetadataCommitIsFinishedWithoutItAndFailedOver(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory, 1);
        Path four = RebalanceFixture.spec(cluster, directory, 4, 1);
        String move = RebalanceFixture.pendingMoves(four).get(0);
        KilledApply.at(directory, four, move + "@commit-done");
        List<String> inFlight = shardlordStrings(cluster, "SELECT from_node || ' ' || to_node || ' ' || phase || ' ' || id FROM shardman.moves"
                + " WHERE phase NOT IN ('done', 'rolled-back')");
        assertEquals(1, inFlight.size(), "one move in flight: " + inFlight);
        String[] fields = inFlight.get(0).split(" ");
        assertEquals("w4 cleanup", fields[1] + " " + fields[2], inFlight.get(0));
        int source = Integer.parseInt(fields[0].substring(1));
        int other = source == 1 ? 2 : 1;
        long items = queryLong(cluster, other, "SELECT count(*) FROM items");

        try {
            KilledWorker.kill(cluster, 4);
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(four).replace("  - name: w4\n", "  - name: w4\n    lost: true\n"));
            // recover first: w4 is lost in the spec only; it is named and skipped, the move finished without it
            CliRun recover = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> CliRun.of("recover", "-f", lost.toString()));
            String recovered = recover.out() + recover.err();
            assertEquals(0, recover.exitCode(), recovered);
            assertTrue(recovered.contains("w4: skipped: marked lost in the spec; apply fails it over"), "recover names w4: " + recovered);
            assertTrue(recovered.contains("without its destination w4"), "recover says loudly the move finished without its destination: " + recovered);
            assertTrue(recovered.contains("KEEPS the retired copies"), "recover says the source keeps its retired copy: " + recovered);
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(6), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            String output = failover.out() + failover.err();
            assertEquals(0, failover.exitCode(), output);
            assertEquals(List.of("true"), shardlordStrings(cluster, "SELECT lost::text FROM shardman.nodes WHERE name = 'w4'"), "w4 failed over");
            assertEquals(List.of(), shardlordStrings(cluster, "SELECT name FROM shardman.partitions WHERE node = 'w4'"),
                    "no partition left on the lost w4");

            assertEquals(List.of("done true"), shardlordStrings(cluster, "SELECT phase || ' ' || retired_kept FROM shardman.moves WHERE id = " + fields[3]));
            assertTrue(queryLong(cluster, source, "SELECT count(*) FROM pg_tables WHERE schemaname = 'shardman_retired'") > 0,
                    "the retired copy stays on w" + source);
            for (int survivor = 1; survivor <= 3; survivor++) {
                assertEquals(List.of(), strings(cluster, survivor, MOVE_OBJECTS), "move objects left on w" + survivor);
                assertEquals(items, queryLong(cluster, survivor, "SELECT count(*) FROM items"), "every row of items through w" + survivor);
            }
            for (int survivor = 1; survivor <= 3; survivor++) {
                WorkerSql.execute(cluster, survivor, "INSERT INTO items (id, val, note) SELECT g, 0, 'after the failover'"
                        + " FROM generate_series(" + (7_000_000 + survivor * 1_000) + "::bigint, " + (7_000_999 + survivor * 1_000) + ") g");
            }
            assertEquals(3_000, queryLong(cluster, other, "SELECT count(*) FROM items WHERE note = 'after the failover'"));
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            CliRun verify = CliRun.of("verify", "-f", lost.toString());
            assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        } finally {
            KilledWorker.restart(cluster, 4);
        }
    }
}
