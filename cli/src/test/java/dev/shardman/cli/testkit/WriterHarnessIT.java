package dev.shardman.cli.testkit;

import dev.shardman.cli.moves.MoveCrashIT;
import dev.shardman.cli.moves.RebalanceIT;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.state.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.shardlordState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of RebalanceIT and MoveCrashIT can fail: on a quiet 3-worker cluster the writer's log
 * checks clean through every worker, then a committed insert deleted and an update overwritten by hand
 * are reported as 1 lost and 1 stale update; the orphan check passes, then names a stray publication.
 */
@LocalClusterTest(workers = 3)
class WriterHarnessIT {
    @TempDir
    Path directory;

    @Test
    void theWriterCheckAndTheOrphanCheckSeeWhatIsWrong(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory);
        ConcurrentWriter writer = ConcurrentWriter.start(cluster, RebalanceFixture.WRITER_WORKER, "items", RebalanceFixture.FIRST_NEW_ID,
                RebalanceFixture.ITEMS, RebalanceFixture.WRITER_RATE);
        Thread.sleep(2_000);
        WriterLog log = writer.stop();
        assertTrue(log.statements() > 200 && log.statements() < 700, "paced to about 200 statements a second: " + log.describe());
        assertEquals(0, log.errors(), log.describe());
        for (int worker = 1; worker <= 3; worker++) {
            WriterCheck check = WriterCheck.of(cluster, worker, log);
            assertTrue(check.clean(log), "w" + worker + ": " + check);
        }

        long deleted = log.inserted().iterator().next();
        long overwritten = log.lastValues().keySet().iterator().next();
        execute(cluster, 2, "DELETE FROM items WHERE id = " + deleted);
        execute(cluster, 1, "UPDATE items SET val = -1 WHERE id = " + overwritten);
        WriterCheck broken = WriterCheck.of(cluster, 3, log);
        assertFalse(broken.clean(log), broken.toString());
        assertEquals(1, broken.lost(), broken.toString());
        assertEquals(1, broken.staleUpdates(), broken.toString());
        assertEquals(0, broken.duplicated(), broken.toString());

        ClusterState state = shardlordState(cluster);
        RebalanceFixture.assertNothingOrphaned(cluster, state);
        execute(cluster, 2, "CREATE PUBLICATION shardman_move_stray FOR TABLE items_1");
        AssertionError orphan = assertThrows(AssertionError.class, () -> RebalanceFixture.assertNothingOrphaned(cluster, state));
        assertTrue(orphan.getMessage().contains("w2 publications"), orphan.getMessage());
    }
}
