package dev.shardman.cli.moves;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.monitor.Monitor;
import dev.shardman.applier.monitor.MonitorEvent;
import dev.shardman.applier.monitor.MonitorOptions;
import dev.shardman.applier.monitor.NodeDownResponder;
import dev.shardman.applier.monitor.PollResult;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.cli.testkit.RebalanceFixture;
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
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node lost in the middle of a move: the rebalance onto a new w4 is killed while its first move (from w1, w2 or
 * w3 to w4) catches up, then w4 is killed (SIGKILL) and marked {@code lost: true}. Apply must abandon the move
 * without connecting to w4 (its slot and publication on the source dropped, shardman.moves says rolled back) and
 * fail w4 over; drift-check and verify find nothing wrong on the survivors. Before w4 dies, the monitor reports the move
 * left alone in catch-up (once, after its stuck-work threshold).
 */
@LocalClusterTest(workers = 4)
class MoveLostNodeIT {

    @TempDir
    Path directory;

    @Test
    void aMoveWhoseDestinationDiesInCatchUpIsAbandonedAndTheFailoverRuns(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory);
        Path four = RebalanceFixture.spec(cluster, directory, 4);
        String move = RebalanceFixture.pendingMoves(four).get(0);
        KilledApply.at(directory, four, move + "@catch-up");
        List<String> inFlight = shardlordStrings(cluster, "SELECT from_node || ' ' || to_node || ' ' || phase || ' ' || id FROM shardman.moves"
                + " WHERE phase NOT IN ('done', 'rolled-back')");
        assertEquals(1, inFlight.size(), "one move in flight: " + inFlight);
        String[] fields = inFlight.get(0).split(" ");
        assertEquals("w4", fields[1], inFlight.get(0));
        assertEquals("catch-up", fields[2], inFlight.get(0));
        int source = Integer.parseInt(fields[0].substring(1));
        String channel = "shardman_move_" + fields[3];
        assertEquals(List.of("publication " + channel, "slot " + channel), strings(cluster, source, MOVE_OBJECTS + " ORDER BY 1"),
                "the move's slot and publication on its source before w4 dies");
        // the monitor reports the interrupted move once it has been left alone for its stuck-work threshold
        Duration threshold = Duration.ofSeconds(10);
        try (Monitor monitor = new Monitor(ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME), cluster.conninfo(cluster.shardlord()),
                new MonitorOptions(Duration.ofSeconds(1), threshold, Duration.ofSeconds(30)), NodeDownResponder.reportOnly())) {
            assertEquals(List.of(), stuckMoves(monitor.poll()), "reported before the threshold");
            Thread.sleep(threshold.plusSeconds(1).toMillis());
            List<MonitorEvent> stuck = stuckMoves(monitor.poll());
            assertEquals(1, stuck.size(), stuck.toString());
            assertTrue(stuck.get(0).message().contains("(" + move + ") has been in phase catch-up for ")
                    && stuck.get(0).message().contains("no apply or recover is running"), stuck.get(0).message());
            assertEquals(List.of(), stuckMoves(monitor.poll()), "reported twice");
        }

        try {
            KilledWorker.kill(cluster, 4);
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(four).replace("  - name: w4\n", "  - name: w4\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            String output = failover.out() + failover.err();
            assertEquals(0, failover.exitCode(), output);
            assertTrue(output.contains("abandoned the move of"), "apply says it abandoned the move: " + output);

            for (int survivor = 1; survivor <= 3; survivor++) {
                assertEquals(List.of(), strings(cluster, survivor, MOVE_OBJECTS), "move objects left on w" + survivor);
                assertEquals(List.of("0"), strings(cluster, survivor, "SELECT count(*) FROM pg_prepared_xacts"), "prepared transactions on w" + survivor);
            }
            assertEquals(List.of("rolled-back"), shardlordStrings(cluster, "SELECT phase FROM shardman.moves WHERE id = " + fields[3]));
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            CliRun verify = CliRun.of("verify", "-f", lost.toString());
            assertEquals(0, verify.exitCode(), verify.out() + verify.err());
            CliRun plan = CliRun.of("plan", "-f", lost.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), "nothing left to do: " + plan.out() + plan.err());
        } finally {
            KilledWorker.restart(cluster, 4);
        }
    }

    private static List<MonitorEvent> stuckMoves(PollResult poll) {
        return poll.events().stream().filter(event -> event.kind() == MonitorEvent.Kind.MOVE_STUCK).toList();
    }
}
