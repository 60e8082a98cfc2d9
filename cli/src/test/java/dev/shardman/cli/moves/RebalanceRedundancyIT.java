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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RebalanceIT} with redundancy 1: w4 joins and apply runs the planned primary AND replica moves
 * (each replica move keeps the old copy until the new one is in sync) under the same live writer through
 * w3. Afterwards: 0 rows lost or duplicated, 0 client errors, every replica equal to its primary (verify),
 * drift-check and plan clean, nothing orphaned.
 */
@LocalClusterTest(workers = 4)
class RebalanceRedundancyIT {
    @TempDir
    Path directory;

    @Test
    void addingANodeMovesPrimariesAndReplicasOnlineWithoutLosingAWrite(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory, 1);
        Path four = RebalanceFixture.spec(cluster, directory, 4, 1);
        String notesBefore = RebalanceFixture.fingerprint(cluster, "item_notes");
        List<String> moves = RebalanceFixture.pendingSteps(four, "move-");
        assertTrue(moves.stream().anyMatch(move -> move.startsWith("move-primary:")), "primary moves planned: " + moves);
        assertTrue(moves.stream().anyMatch(move -> move.startsWith("move-replica:")), "replica moves planned: " + moves);

        ConcurrentWriter writer = ConcurrentWriter.start(cluster, RebalanceFixture.WRITER_WORKER, "items", RebalanceFixture.FIRST_NEW_ID,
                RebalanceFixture.ITEMS, RebalanceFixture.WRITER_RATE);
        WriterLog log;
        try {
            Thread.sleep(1_000);
            CliRun applied = CliRun.of("apply", "-f", four.toString(), "--auto-approve");
            assertEquals(0, applied.exitCode(), applied.out() + applied.err());
            System.out.println("RebalanceRedundancyIT: " + moves.size() + " moves\n" + applied.out());
            Thread.sleep(1_000);
        } finally {
            log = writer.stop();
        }
        System.out.println("RebalanceRedundancyIT writer: " + log.describe());
        assertTrue(log.inserted().size() > 100, "the writer ran during the moves: " + log.describe());
        assertEquals(Map.of(), RebalanceFixture.assertConverged(cluster, four, log, notesBefore),
                "every move verified its copy and dropped the retired one");
        assertEquals(0, log.errors(), "client errors during the moves: " + log.describe());
    }
}
