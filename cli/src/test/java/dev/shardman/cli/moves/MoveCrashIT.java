package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ConcurrentWriter;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.cli.testkit.WriterLog;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rebalance of RebalanceIT with apply killed by SIGKILL (SHARDMAN_FAULT in a child JVM) at every
 * phase of a primary move, 8 kills over the 6 moves, rerunning apply after each, while the writer runs
 * through w3 the whole time. The last apply converges: nothing left to plan, 0 rows lost or duplicated,
 * verify and drift-check clean, nothing orphaned.
 *
 * <p>Each kill targets the first move the current plan lists. Right after a kill past the cutover (verify .. commit)
 * that move is in flight and the next run finishes it (a move past its cutover is finished, never rolled back):
 * the plan shows it among the interrupted work to finish first, not among its steps.
 */
@LocalClusterTest(workers = 4)
public class MoveCrashIT {
    private static final List<String> PHASES = List.of("copy", "catch-up", "cutover", "verify", "switch-destination", "switch-others",
            "commit", "cleanup");
    /** Killed at these phases, the move's cutover committed, but not its metadata: the plan shows it as interrupted work to finish. */
    private static final Set<String> PAST_CUTOVER = Set.of("verify", "switch-destination", "switch-others", "commit");

    @TempDir
    Path directory;

    @Test
    void applyKilledAtEveryPhaseOfAMoveResumesAndConverges(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory);
        Path four = RebalanceFixture.spec(cluster, directory, 4);
        String notesBefore = RebalanceFixture.fingerprint(cluster, "item_notes");
        assertEquals(6, RebalanceFixture.pendingMoves(four).size());

        ConcurrentWriter writer = ConcurrentWriter.start(cluster, RebalanceFixture.WRITER_WORKER, "items", RebalanceFixture.FIRST_NEW_ID,
                RebalanceFixture.ITEMS, RebalanceFixture.WRITER_RATE);
        WriterLog log;
        List<String> kills = new ArrayList<>();
        try {
            for (String phase : PHASES) {
                List<String> pending = RebalanceFixture.pendingMoves(four);
                assertTrue(!pending.isEmpty(), "a move left to kill at " + phase + " (killed so far: " + kills + "): " + pending);
                String fault = pending.get(0) + "@" + phase;
                killedAt(four, fault);
                kills.add(fault);
                if (PAST_CUTOVER.contains(phase)) {
                    CliRun plan = CliRun.of("plan", "-f", four.toString());
                    assertTrue(plan.out().contains("Interrupted work to finish first") && plan.out().contains("finish the move of"),
                            "killed at " + fault + ": " + plan.out() + plan.err());
                }
            }
            CliRun finish = CliRun.of("apply", "-f", four.toString(), "--auto-approve");
            assertEquals(0, finish.exitCode(), "after the kills " + kills + ": " + finish.out() + finish.err());
            Thread.sleep(1_000);
        } finally {
            log = writer.stop();
        }
        System.out.println("MoveCrashIT kills: " + kills + "\nwriter: " + log.describe());
        System.out.println("MoveCrashIT moves: " + RebalanceFixture.moveRecords(cluster));
        Map<String, Set<String>> kept = RebalanceFixture.assertConverged(cluster, four, log, notesBefore);
        String unverified = kills.stream().filter(kill -> kill.endsWith("@verify")).findFirst().orElseThrow()
                .replaceAll("^move-primary:items_(\\d+)@verify$", "$1");
        for (Set<String> copies : kept.values()) {
            for (String copy : copies) {
                assertTrue(copy.matches("(items|item_notes)_" + unverified + "_m\\d+"),
                        "only the move killed before its verification keeps its retired copies (unverified), not " + kept);
            }
        }
        assertEquals(0, log.errors(), "client errors during the moves and the kills: " + log.describe());
    }

    private void killedAt(Path spec, String fault) throws IOException, InterruptedException {
        KilledApply.at(directory, spec, fault);
    }
}
