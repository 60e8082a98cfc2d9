package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MoveReplica killed with SIGKILL at each of its points, then resumed: 3 partitions with redundancy 2 on w1..w3,
 * w4 joins and replicas move to it. Apply is killed once the new copy is in sync (no node transaction yet),
 * once with the node transactions prepared but undecided, once with the metadata committed but the old copy not
 * dropped yet; after each kill every partition still has at least its two replicas in sync with its primary (never
 * fewer copies), and the next apply converges: drift-check 0, plan empty, every replica equal to its primary.
 */
@LocalClusterTest(workers = 4)
class MoveReplicaCrashIT {
    private static final int ROWS = 900;
    private static final List<String> PARTITIONS = List.of("customers_0", "customers_1", "customers_2");

    @TempDir
    Path directory;

    @Test
    void aMoveReplicaKilledAnywhereNeverLeavesFewerCopiesAndResumes(TestCluster cluster) throws Exception {
        String tables = ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3").replace("redundancy: 1", "redundancy: 2");
        Path three = ClusterSpecFiles.write(cluster, directory.resolve("three.yaml"), 3, tables);
        CliRun created = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS + ") AS g");

        Path four = ClusterSpecFiles.write(cluster, directory.resolve("four.yaml"), 4, tables);
        List<String> moves = CliRun.plannedStepIds(four, "move_replica");
        assertTrue(!moves.isEmpty(), "w4 joining moves no replica");
        List<String> faults = new ArrayList<>(List.of(moves.get(0) + "@after-copy", moves.get(0) + "@after-node-work", moves.get(0) + "@after-commit"));
        for (String fault : faults) {
            killedAt(four, fault);
            for (String partition : PARTITIONS) {
                assertTrue(WorkerSql.inSyncReplicas(cluster, 4, partition) >= 2, partition + " has fewer than 2 replicas in sync after the kill at " + fault);
            }
        }
        CliRun resumed = CliRun.of("apply", "-f", four.toString(), "--auto-approve");
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        for (String partition : PARTITIONS) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (WorkerSql.inSyncReplicas(cluster, 4, partition) != 2) {
                assertTrue(System.nanoTime() < deadline, partition + " does not have exactly 2 replicas in sync");
                Thread.sleep(200);
            }
        }
        for (int worker = 1; worker <= 4; worker++) {
            assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM customers"), "rows through w" + worker);
        }
        CliRun drift = CliRun.of("drift-check", "-f", four.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        CliRun again = CliRun.of("plan", "-f", four.toString());
        assertTrue(again.out().contains("No changes"), again.out() + again.err());
    }

    private void killedAt(Path spec, String fault) throws IOException, InterruptedException {
        KilledApply.at(directory, spec, fault);
    }
}
