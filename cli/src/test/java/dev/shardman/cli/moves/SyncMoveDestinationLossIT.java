package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.AcknowledgingWriters;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import static dev.shardman.cli.testkit.WorkerSql.strings;
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

    /**
     * The applier dies inside the fence right after the handover (the replica subscribed to the destination's copy, the
     * move's subscription disabled): the fence rolls back and the source goes on taking writes. The next apply undoes
     * the handover before the copy follows the source again, so no change reaches the replica twice.
     */
    @Test
    void aFenceThatDiesAfterTheHandoverIsUndoneBeforeTheMoveResumes(TestCluster cluster) throws Exception {
        Path four = specs(cluster, directory);
        String move = RebalanceFixture.pendingMoves(four).get(0);
        AcknowledgingWriters writers = new AcknowledgingWriters(cluster);
        writers.start(1, 2, 3);
        try {
            writers.awaitAcknowledged(100);
            KilledApply.at(directory, four, move + "@cutover-handover-done");
            assertEquals(List.of("false"), strings(cluster, 4, "SELECT subenabled::text FROM pg_subscription WHERE subname LIKE 'shardman\\_move\\_%'"),
                    "the move's subscription was disabled by the handover");
            writers.awaitAcknowledged(writers.acknowledged.size() + 300);
            CliRun resumed = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> CliRun.of("apply", "-f", four.toString(), "--auto-approve"));
            assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
            writers.awaitAcknowledged(writers.acknowledged.size() + 100);
            writers.stop();
            List<String> ids = strings(cluster, 1, "SELECT id FROM customers");
            TreeSet<Long> missing = new TreeSet<>(writers.acknowledged);
            ids.forEach(id -> missing.remove(Long.parseLong(id)));
            assertTrue(missing.isEmpty(), missing.size() + " acknowledged ids lost, e.g. " + missing.stream().limit(10).toList());
            assertEquals(ids.size(), new TreeSet<>(ids).size(), "no id twice");
            CliRun verify = CliRun.of("verify", "-f", four.toString());
            assertEquals(0, verify.exitCode(), "every replica equals its primary: " + verify.out() + verify.err());
            CliRun drift = CliRun.of("drift-check", "-f", four.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            writers.running.set(false);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"commit", "commit-done"})
    void writesAcknowledgedByAMovesDestinationSurviveItsLossUnderSyncReplication(String killedAt, TestCluster cluster) throws Exception {
        Path four = specs(cluster, directory);
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

    /** Applies three workers with sync_replication and 4 partitions; returns the spec with the fourth. */
    static Path specs(TestCluster cluster, Path directory) throws Exception {
        String tables = ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 4");
        Path three = ClusterSpecFiles.withSettings(ClusterSpecFiles.write(cluster, directory.resolve("three-async.yaml"), 3, tables),
                directory.resolve("three.yaml"), "  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        return ClusterSpecFiles.withSettings(ClusterSpecFiles.write(cluster, directory.resolve("four-async.yaml"), 4, tables),
                directory.resolve("four.yaml"), "  sync_replication: true\n");
    }
}
