package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ConcurrentWriter;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.cli.testkit.WriterLog;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rebalance of RebalanceIT (w4 joins, 6 primary moves into it) with {@code apply --parallelism 4} under the writer,
 * three applies: the first copies the first four moves at once, one of which fails (w4 already holds a relation of
 * that name): the two before it are cut over and committed, it fails naming itself (exit 1), the one after it stays in
 * flight, named. The second (the table gone) resumes both beside two new ones and is killed by SIGKILL in the
 * verification of its second move, the two others of its wave caught up and in flight. The third finishes the one past
 * its cutover, resumes the two in flight and converges: 0 rows lost or duplicated, verify and drift-check clean, nothing
 * orphaned, and never more than 4 moves in flight at once (the per-node cap on w4), 4 at some moment.
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
        String killed = moves.get(3) + "@verify";
        try {
            String blocked = partition(moves.get(2));
            // a relation of the copy's name that the reconcilers do not manage (a table would stop w4's registration)
            execute(cluster, 4, "CREATE SEQUENCE public." + blocked);
            CliRun failed = CliRun.of("apply", "-f", four.toString(), "--auto-approve", "--parallelism", "4");
            System.out.println("ParallelMovesIT: the apply whose third move fails\n" + failed.out());
            assertEquals(1, failed.exitCode(), failed.out() + failed.err());
            assertTrue(failed.out().contains("✓ " + partition(moves.get(1))) && failed.out().contains("✗ " + blocked)
                    && failed.out().contains("already has a table public." + blocked), "the moves before the failed one committed: " + failed.out());
            assertTrue(failed.out().contains("the move of " + partition(moves.get(3))) && failed.out().contains("stays in flight"),
                    "the wave's move after the failed one is named: " + failed.out());
            assertEquals(List.of(moves.get(2) + " copy", moves.get(3) + " catch-up"), movesInFlight(cluster), failed.out());
            execute(cluster, 4, "DROP SEQUENCE public." + blocked);

            String output = KilledApply.running(directory, killed, "apply", "-f", four.toString(), "--auto-approve", "--parallelism", "4");
            assertEquals(List.of(moves.get(3) + " verify", moves.get(4) + " catch-up", moves.get(5) + " catch-up"), movesInFlight(cluster),
                    "killed at " + killed + ", the wave's later moves caught up and in flight:\n" + output);

            long started = System.nanoTime();
            CliRun rerun = CliRun.of("apply", "-f", four.toString(), "--auto-approve", "--parallelism", "4");
            long took = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0, rerun.exitCode(), rerun.out() + rerun.err());
            assertTrue(rerun.out().contains("finished the move of"), "recovery finished the move past its cutover first: " + rerun.out());
            System.out.println("ParallelMovesIT: the rerun with 2 moves took " + took + " ms\n" + rerun.out());
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

    private static String partition(String moveStep) {
        return moveStep.substring("move-primary:".length());
    }

    private static List<String> movesInFlight(TestCluster cluster) throws SQLException {
        return WorkerSql.shardlordStrings(cluster, "SELECT step_id || ' ' || phase FROM shardman.moves WHERE phase NOT IN ('done', 'rolled-back')"
                + " ORDER BY id");
    }

    /** The largest number of moves in flight at one moment, from their start and finish times in shardman.moves. */
    private static int mostMovesInFlightAtOnce(TestCluster cluster) throws SQLException {
        return Integer.parseInt(WorkerSql.shardlordStrings(cluster, """
                SELECT max((SELECT count(*) FROM shardman.moves b
                            WHERE b.started_at <= a.started_at AND coalesce(b.finished_at, 'infinity') > a.started_at))
                FROM shardman.moves a""").get(0));
    }
}
