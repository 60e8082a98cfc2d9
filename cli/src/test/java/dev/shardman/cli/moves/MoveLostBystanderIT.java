package dev.shardman.cli.moves;

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

import static dev.shardman.cli.testkit.WorkerSql.shardlordStrings;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A bystander lost while a move is past its cutover (chaos seed 5001): the rebalance onto a new w4 (redundancy 1) is
 * killed as its first move starts switching the other nodes, then a worker that is neither the move's source nor its
 * destination is killed and marked {@code lost: true}. The move cannot be finished before the failover (the lost node
 * is one of the "others" to switch), so apply must not give up with a stale-plan error: it finishes what it can, plans
 * again (the failover first, then the move resumed) and converges.
 */
@LocalClusterTest(workers = 4)
class MoveLostBystanderIT {
    @TempDir
    Path directory;

    @Test
    void aBystanderLostWhileAMoveSwitchesTheOthersIsFailedOverAndTheMoveFinished(TestCluster cluster) throws Exception {
        RebalanceFixture.setUp(cluster, directory, 1);
        Path four = RebalanceFixture.spec(cluster, directory, 4, 1);
        String move = RebalanceFixture.pendingMoves(four).get(0);
        KilledApply.at(directory, four, move + "@switch-others");
        String[] fields = shardlordStrings(cluster, "SELECT from_node || ' ' || to_node || ' ' || phase FROM shardman.moves"
                + " WHERE phase NOT IN ('done', 'rolled-back')").get(0).split(" ");
        assertEquals("switch-others", fields[2], String.join(" ", fields));
        // not w1: it is the master of the fixture's shared table, whose failover is another matter
        int bystander = List.of(2, 3).stream().filter(node -> !fields[0].equals("w" + node)).findFirst().orElseThrow();

        try {
            KilledWorker.kill(cluster, bystander);
            Path lost = directory.resolve("lost.yaml");
            String name = "w" + bystander;
            Files.writeString(lost, Files.readString(four).replace("  - name: " + name + "\n", "  - name: " + name + "\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            String output = failover.out() + failover.err();
            assertEquals(0, failover.exitCode(), output);
            assertEquals(List.of("true"), shardlordStrings(cluster, "SELECT lost::text FROM shardman.nodes WHERE name = '" + name + "'"),
                    "the metadata marks " + name + " lost: " + output);
            assertEquals(List.of("0"), shardlordStrings(cluster, "SELECT count(*) FROM shardman.moves WHERE phase NOT IN ('done', 'rolled-back')"),
                    "no move left in flight");
            for (int survivor = 1; survivor <= 4; survivor++) {
                if (survivor != bystander) {
                    assertEquals(List.of(Integer.toString(RebalanceFixture.ITEMS)), strings(cluster, survivor, "SELECT count(*) FROM items"),
                            "every row readable through w" + survivor);
                }
            }
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            CliRun plan = CliRun.of("plan", "-f", lost.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), "nothing left to do: " + plan.out() + plan.err());
        } finally {
            KilledWorker.restart(cluster, 4);
        }
    }
}
