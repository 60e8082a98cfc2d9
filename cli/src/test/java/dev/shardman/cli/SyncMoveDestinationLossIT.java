package dev.shardman.cli;

import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import static dev.shardman.cli.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos seed 7016, deterministic: under sync_replication a move onto a new node is interrupted after its cutover (writes
 * of the partition commit on the destination), before ({@code commit}: the metadata still names the source) or after
 * ({@code commit-done}) its metadata commit; writers go on; the destination dies and is marked lost. Every acknowledged
 * id must survive the failover without --allow-data-loss: the replica followed the destination from the fence.
 */
@LocalClusterTest(workers = 4)
class SyncMoveDestinationLossIT {
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"commit", "commit-done"})
    void writesAcknowledgedByAMovesDestinationSurviveItsLossUnderSyncReplication(String killedAt, TestCluster cluster) throws Exception {
        Path three = ClusterSpecFiles.write(cluster, directory.resolve("three.yaml"), 3, ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 4"));
        Files.writeString(three, Files.readString(three).replace("nodes:\n", "settings:\n  sync_replication: true\nnodes:\n"));
        CliRun applied = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        Path four = ClusterSpecFiles.write(cluster, directory.resolve("four.yaml"), 4, ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 4"));
        Files.writeString(four, Files.readString(four).replace("nodes:\n", "settings:\n  sync_replication: true\nnodes:\n"));
        String move = RebalanceFixture.pendingMoves(four).get(0);

        AcknowledgingWriters writers = new AcknowledgingWriters(cluster);
        writers.start(1, 2, 3);
        try {
            writers.awaitAcknowledged(100);
            KilledApply.at(directory, four, move + "@" + killedAt);
            writers.awaitAcknowledged(writers.acknowledged.size() + 300);
            KilledWorker.kill(cluster, 4);
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(four).replace("  - name: w4\n", "  - name: w4\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            assertEquals(0, failover.exitCode(), failover.out() + failover.err());
            if (killedAt.equals("commit")) {
                assertTrue(failover.out().contains("followed w4 from the cutover"), "rolled forward to the replicas: " + failover.out());
            }
            writers.stop();
            TreeSet<Long> missing = new TreeSet<>(writers.acknowledged);
            strings(cluster, 1, "SELECT id FROM customers").forEach(id -> missing.remove(Long.parseLong(id)));
            assertTrue(missing.isEmpty(), missing.size() + " of " + writers.acknowledged.size() + " acknowledged ids lost, e.g. "
                    + missing.stream().limit(10).toList());
            assertEquals(List.of(), WorkerSql.shardlordStrings(cluster, "SELECT step_id || ' ' || phase FROM shardman.moves"
                    + " WHERE phase NOT IN ('done', 'rolled-back')"), "no move in flight");
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            writers.running.set(false);
            KilledWorker.restart(cluster, 4);
        }
    }
}
