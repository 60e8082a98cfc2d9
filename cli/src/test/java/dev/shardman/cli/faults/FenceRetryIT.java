package dev.shardman.cli.faults;

import dev.shardman.cli.moves.MoveLostSourceIT;
import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.StoppedWorker;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A destination too busy to confirm the write fence's position in time (its apply worker stopped by SIGSTOP for
 * longer than the fence waits): the fence rolls back, the move catches up again and its next fence commits, and
 * apply exits 0 in one run. Before the retry, a loaded machine failed the whole apply this way (CI run s15-1,
 * MoveLostSourceIT: "w4 did not confirm the source's position within 10 s").
 */
@LocalClusterTest(workers = 2)
class FenceRetryIT {
    private static final String TABLES = ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0");

    @TempDir
    Path directory;

    @Test
    void aFenceTheDestinationDoesNotConfirmInTimeIsTriedAgainAfterACatchUp(TestCluster cluster) throws Exception {
        assumeTrue(cluster.serversAreLocalProcesses(), "stops w2's apply worker by its pid: needs the embedded test servers");
        Path one = ClusterSpecFiles.write(cluster, directory.resolve("one.yaml"), 1, TABLES);
        assertEquals(0, CliRun.of("apply", "-f", one.toString(), "--auto-approve").exitCode());
        Path two = ClusterSpecFiles.write(cluster, directory.resolve("two.yaml"), 2, TABLES);
        String move = CliRun.plannedStepIds(two, "move_primary").get(0);
        Path go = directory.resolve("go");
        Path log = directory.resolve("apply.log");
        Process apply = ChildCli.start(log, Map.of("SHARDMAN_PAUSE", move + "@cutover", "SHARDMAN_PAUSE_FILE", go.toString()),
                "apply", "-f", two.toString(), "--auto-approve");
        try {
            ChildCli.awaitFile(go.resolveSibling("go.waiting"), null, apply, log);
            long worker = WorkerSql.queryLong(cluster, 2, "SELECT pid FROM pg_catalog.pg_stat_subscription"
                    + " WHERE subname LIKE 'shardman\\_move\\_%' AND relid IS NULL AND pid IS NOT NULL");
            StoppedWorker.signal("-STOP", List.of(worker));
            try {
                // WAL the stopped worker cannot confirm (on an idle source, the fence position is what it confirmed last)
                WorkerSql.execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'written while w2 cannot apply' FROM generate_series(1, 100) g");
                Files.writeString(go, "go");
                ChildCli.awaitFile(log, "catching up again, then attempt 2 of 3", apply, log);
            } finally {
                StoppedWorker.signal("-CONT", List.of(worker));
            }
            assertTrue(apply.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS), "apply finished");
        } finally {
            apply.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, apply.exitValue(), output);
        assertTrue(output.contains("w2 did not confirm the source's position"), output);
        assertEquals(0, CliRun.of("plan", "-f", two.toString(), "--detailed-exitcode").exitCode(), "the move is done: nothing left to plan");
        CliRun drift = CliRun.of("drift-check", "-f", two.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        CliRun verify = CliRun.of("verify", "-f", two.toString());
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    }

}
