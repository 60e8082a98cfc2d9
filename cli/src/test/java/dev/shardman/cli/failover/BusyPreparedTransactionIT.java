package dev.shardman.cli.failover;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos seed 31001: an apply's PREPARE TRANSACTION on a survivor waited for its only synchronous standby, a node that had
 * died; the apply gave up on the node and ended, the session on the node went on waiting and held the gid. The next
 * apply (the dead node marked lost) found the prepared transaction "busy" and left the whole node out of its recovery;
 * the failover released the wait, and the transaction stayed prepared, holding its locks, so the steps after it ran
 * into their lock timeout. Recovery now resolves such a transaction once it has released the waits on lost standbys.
 */
@LocalClusterTest(workers = 3)
class BusyPreparedTransactionIT {
    private static final int VICTIM = 1;
    private static final String GID = "shardman_0123456789abcdef0123456789abcdef_7_9";

    @TempDir
    Path directory;

    @Test
    void aPreparedTransactionStillWaitingForTheLostStandbyIsRolledBackByTheFailoverApply(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("sync.yaml"), 3,
                ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3"));
        ClusterSpecFiles.withSettings(spec, spec, "  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        int hanging = LostNodeSyncFailoverIT.survivorWaitingOnlyForTheVictim(cluster,
                strings(cluster, VICTIM, "SELECT subname FROM pg_subscription ORDER BY 1"));

        try {
            KilledWorker.kill(cluster, VICTIM);
            CompletableFuture<Void> preparing = CompletableFuture.runAsync(() -> prepareWhileHoldingTheTable(cluster, hanging));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (queryLong(cluster, hanging, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'earlier-apply'"
                    + " AND wait_event = 'SyncRep'") == 0) {
                assertTrue(System.nanoTime() < deadline, "the PREPARE on w" + hanging + " never waited for the dead standby");
                Thread.sleep(100);
            }

            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            assertEquals(0, failover.exitCode(), failover.out() + failover.err());
            assertTrue(failover.out().contains("w" + hanging + ": rolled back prepared transaction " + GID + " (its step was never committed)"),
                    failover.out());
            preparing.get(60, TimeUnit.SECONDS);
            assertEquals(0L, queryLong(cluster, hanging, "SELECT count(*) FROM pg_prepared_xacts"), "nothing of it stays prepared");
            assertEquals(0L, queryLong(cluster, hanging, "SELECT count(*) FROM pg_class WHERE relname = 'busy_probe'"), "it was rolled back");

            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            KilledWorker.restart(cluster, 3);
        }
    }

    /** As a step's node work does: locks on the user's table, then PREPARE, which waits for the synchronous standby. */
    private static void prepareWhileHoldingTheTable(TestCluster cluster, int worker) {
        try (Connection connection = cluster.connect(cluster.worker(worker), "earlier-apply"); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE public.customers IN ACCESS EXCLUSIVE MODE");
            statement.execute("CREATE TABLE public.busy_probe ()");
            statement.execute("PREPARE TRANSACTION '" + GID + "'");
        } catch (SQLException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
