package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replica moves in a wave ({@code apply --parallelism 4}): 12 partitions at redundancy 1 on w1..w3, w4 joins and three
 * replicas move to it. The apply makes the three new copies at once, commits the first move and is killed by SIGKILL
 * as the second starts (the third's copy made, not committed): every partition still has a replica equal to its
 * primary; the next apply converges (drift-check 0, plan empty, every replica equal to its primary, no row lost).
 */
@LocalClusterTest(workers = 4)
class ReplicaWaveIT {
    private static final int ROWS = 1200;

    @TempDir
    Path directory;

    @Test
    void replicaMovesKilledMidWaveConvergeOnRerun(TestCluster cluster) throws Exception {
        Path three = ClusterSpecFiles.write(cluster, directory.resolve("three.yaml"), 3, ClusterSpecFiles.CUSTOMERS);
        CliRun created = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS + ") AS g");

        Path four = ClusterSpecFiles.write(cluster, directory.resolve("four.yaml"), 4, ClusterSpecFiles.CUSTOMERS);
        List<String> moves = CliRun.plannedStepIds(four, "move_replica");
        assertTrue(moves.size() >= 3, "w4 joining moves fewer than 3 replicas: " + moves);
        String killed = KilledApply.running(directory, moves.get(1) + "@before", "apply", "-f", four.toString(), "--auto-approve", "--parallelism", "4");
        assertTrue(killed.contains("making the new copies of " + moves.size() + " replica moves at once"), killed);
        for (int index = 0; index < 12; index++) {
            assertTrue(inSyncReplicas(cluster, "customers_" + index) >= 1, "customers_" + index + " lost its replica in the kill:\n" + killed);
        }

        CliRun resumed = CliRun.of("apply", "-f", four.toString(), "--auto-approve", "--parallelism", "4");
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        CliRun drift = CliRun.of("drift-check", "-f", four.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        assertTrue(CliRun.of("plan", "-f", four.toString()).out().contains("No changes"));
        for (int index = 0; index < 12; index++) {
            assertEquals(1, inSyncReplicas(cluster, "customers_" + index), "customers_" + index + " after the rerun");
        }
        for (int worker = 1; worker <= 4; worker++) {
            assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM customers"), "rows through w" + worker);
        }
    }

    /** Replica tables of {@code partition} on w1..w4 in sync with the primary, waiting up to 30 s for one (the initial copy can take a moment). */
    private static int inSyncReplicas(TestCluster cluster, String partition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int count = WorkerSql.inSyncReplicas(cluster, 4, partition);
        while (count == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            count = WorkerSql.inSyncReplicas(cluster, 4, partition);
        }
        return count;
    }
}
