package dev.shardman.cli;

import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rebalance of RebalanceIT (w4 joins, 6 primary moves into it) with {@code apply --parallelism 4} under the writer:
 * the first apply copies four moves at once and is killed by SIGKILL in the verification of the second, with the two
 * others of its wave caught up and in flight; the rerun (also {@code --parallelism 4}) finishes the one past its cutover,
 * resumes the two in flight beside the last two, and converges: 0 rows lost or duplicated, verify and drift-check clean,
 * nothing orphaned, at most 4 moves (the per-node cap on w4) ever in flight at once, and 4 at some moment.
 */
@LocalClusterTest(workers = 4)
class ParallelMovesIT {
    @TempDir
    Path directory;

    @Test
    void aParallelRebalanceKilledMidWaveConvergesOnRerunWithoutLosingAWrite(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory);
        Path four = RebalanceFixture.spec(cluster, directory, 4);
        String notesBefore = RebalanceFixture.fingerprint(cluster, "item_notes");
        List<String> moves = RebalanceFixture.pendingMoves(four);
        assertEquals(6, moves.size(), "24 partitions over 4 nodes: " + moves);

        ConcurrentWriter writer = ConcurrentWriter.start(cluster, RebalanceFixture.WRITER_WORKER, "items", RebalanceFixture.FIRST_NEW_ID,
                RebalanceFixture.ITEMS, RebalanceFixture.WRITER_RATE);
        WriterLog log;
        String killed = moves.get(1) + "@verify";
        try {
            String output = KilledApply.running(directory, killed, "apply", "-f", four.toString(), "--auto-approve", "--parallelism", "4");
            List<String> inFlight = WorkerSql.shardlordStrings(cluster, "SELECT step_id || ' ' || phase FROM shardman.moves"
                    + " WHERE phase NOT IN ('done', 'rolled-back') ORDER BY id");
            assertEquals(List.of(moves.get(1) + " verify", moves.get(2) + " catch-up", moves.get(3) + " catch-up"), inFlight,
                    "killed at " + killed + ", the wave's later moves caught up and in flight:\n" + output);

            long started = System.nanoTime();
            CliRun rerun = CliRun.of("apply", "-f", four.toString(), "--auto-approve", "--parallelism", "4");
            long took = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0, rerun.exitCode(), rerun.out() + rerun.err());
            assertTrue(rerun.out().contains("finished the move of"), "recovery finished the move past its cutover first: " + rerun.out());
            System.out.println("ParallelMovesIT: the rerun with 4 moves took " + took + " ms\n" + rerun.out());
            Thread.sleep(1_000);
        } finally {
            log = writer.stop();
        }
        System.out.println("ParallelMovesIT writer: " + log.describe() + "\nmoves: " + RebalanceFixture.moveRecords(cluster));
        assertTrue(log.inserted().size() > 100, "the writer ran during the moves: " + log.describe());
        Map<String, Set<String>> kept = RebalanceFixture.assertConverged(cluster, four, log, notesBefore);
        String unverified = killed.replaceAll("^move-primary:items_(\\d+)@verify$", "$1");
        kept.values().stream().flatMap(Set::stream).forEach(copy -> assertTrue(copy.matches("(items|item_notes)_" + unverified + "_m\\d+"),
                "only the move killed before its verification keeps its retired copies (unverified), not " + kept));
        assertEquals(0, log.errors(), "client errors during the moves and the kill: " + log.describe());
        assertEquals(4, mostMovesInFlightAtOnce(cluster), "--parallelism 4, and 4 moves at most into w4 (the default per-node cap)");
    }

    /** The largest number of moves in flight at one moment, from their start and finish times in shardman.moves. */
    private static int mostMovesInFlightAtOnce(TestCluster cluster) throws SQLException {
        return Integer.parseInt(WorkerSql.shardlordStrings(cluster, """
                SELECT max((SELECT count(*) FROM shardman.moves b
                            WHERE b.started_at <= a.started_at AND coalesce(b.finished_at, 'infinity') > a.started_at))
                FROM shardman.moves a""").get(0));
    }
}
