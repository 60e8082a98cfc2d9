package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ConcurrentWriter;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.cli.testkit.WriterLog;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An online rebalance under a live writer: 3 workers with 200,000 items (24 partitions, a colocated
 * sibling, a shared table), an application inserting and updating through w3 the whole time; w4 joins
 * and apply runs the 6 planned primary moves. Afterwards, against the writer's log: 0 rows lost, 0
 * duplicated, every update present, 0 client errors; verify, drift-check and plan clean; 6 partitions
 * per node; no move channel, proxy, old copy or prepared transaction left anywhere.
 */
@LocalClusterTest(workers = 4)
public class RebalanceIT {
    @TempDir
    Path directory;

    @Test
    void addingANodeMovesSixPartitionsOnlineWithoutLosingAWrite(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory);
        Path four = RebalanceFixture.spec(cluster, directory, 4);
        String notesBefore = RebalanceFixture.fingerprint(cluster, "item_notes");
        List<String> moves = RebalanceFixture.pendingMoves(four);
        assertEquals(6, moves.size(), "24 partitions over 4 nodes: " + moves);

        ConcurrentWriter writer = ConcurrentWriter.start(cluster, RebalanceFixture.WRITER_WORKER, "items", RebalanceFixture.FIRST_NEW_ID,
                RebalanceFixture.ITEMS, RebalanceFixture.WRITER_RATE);
        WriterLog log;
        try {
            Thread.sleep(1_000);
            long started = System.nanoTime();
            CliRun applied = CliRun.of("apply", "-f", four.toString(), "--auto-approve");
            long took = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0, applied.exitCode(), applied.out() + applied.err());
            for (String move : moves) {
                assertTrue(applied.out().contains(move.substring("move-primary:".length())), "ran " + move + ": " + applied.out());
            }
            System.out.println("RebalanceIT: apply with 6 moves took " + took + " ms\n" + applied.out());
            Thread.sleep(1_000);
        } finally {
            log = writer.stop();
        }
        System.out.println("RebalanceIT writer: " + log.describe());
        assertTrue(log.inserted().size() > 100, "the writer ran during the moves: " + log.describe());
        System.out.println("RebalanceIT moves: " + RebalanceFixture.moveRecords(cluster));
        assertEquals(java.util.Map.of(), RebalanceFixture.assertConverged(cluster, four, log, notesBefore),
                "every move verified its copy and dropped the retired one");
        assertEquals(0, log.errors(), "client errors during the moves: " + log.describe());
    }
}
