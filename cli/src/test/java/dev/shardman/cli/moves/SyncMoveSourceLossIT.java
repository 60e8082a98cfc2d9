package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.AcknowledgingWriters;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.cli.testkit.RebalanceFixture;
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

import static dev.shardman.cli.testkit.WorkerSql.shardlordStrings;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos seed 9023, deterministic: a move's SOURCE dies in phase cutover, where only the source could say whether its
 * cutover committed. Killed at {@code @cutover} no fence got as far as the handover (the destination's copy may lag);
 * at {@code @cutover-handover-done} the fence rolled back and the source took writes again; at {@code @cutover-done} it
 * committed and writes went to the destination. In each the replica holds every acknowledged write (it followed the
 * destination from the fence): the move is abandoned and the failover promotes the replica. Apply converges in one run, under
 * sync_replication every acknowledged id survives, and drift-check finds nothing (seed 9023 left the move in flight
 * and every failover failed on the foreign partition that still pointed at the lost source).
 */
@LocalClusterTest(workers = 4)
class SyncMoveSourceLossIT {
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"cutover", "cutover-handover-done", "cutover-done"})
    void aSourceLostInItsCutoverNeverWedgesTheFailover(String killedAt, TestCluster cluster) throws Exception {
        Path four = SyncMoveDestinationLossIT.specs(cluster, directory);
        String move = RebalanceFixture.pendingMoves(four).get(0);

        AcknowledgingWriters writers = new AcknowledgingWriters(cluster);
        writers.start(1, 2, 3);
        int source = 0;
        try {
            writers.awaitAcknowledged(100);
            KilledApply.at(directory, four, move + "@" + killedAt);
            List<String> inFlight = shardlordStrings(cluster, "SELECT from_node FROM shardman.moves WHERE phase = 'cutover'");
            assertEquals(1, inFlight.size(), "one move in its cutover: " + inFlight);
            source = Integer.parseInt(inFlight.get(0).substring(1));
            writers.awaitAcknowledged(writers.acknowledged.size() + 200);
            KilledWorker.kill(cluster, source);
            String name = "w" + source;
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(four).replace("  - name: " + name + "\n", "  - name: " + name + "\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            assertEquals(0, failover.exitCode(), failover.out() + failover.err());
            writers.stop();
            int survivor = source == 1 ? 2 : 1;
            TreeSet<Long> missing = new TreeSet<>(writers.acknowledged);
            strings(cluster, survivor, "SELECT id FROM customers").forEach(id -> missing.remove(Long.parseLong(id)));
            assertTrue(missing.isEmpty(), missing.size() + " of " + writers.acknowledged.size() + " acknowledged ids lost, e.g. "
                    + missing.stream().limit(10).toList());
            assertEquals(List.of(), shardlordStrings(cluster, "SELECT step_id || ' ' || phase FROM shardman.moves"
                    + " WHERE phase NOT IN ('done', 'rolled-back')"), "no move in flight");
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            writers.running.set(false);
            if (source > 0) {
                KilledWorker.restart(cluster, 4);
            }
        }
    }
}
