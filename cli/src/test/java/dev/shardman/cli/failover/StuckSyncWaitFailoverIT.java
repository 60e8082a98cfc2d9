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
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos seed 6021: a survivor's only synchronous standby dies while a transaction there holds ACCESS EXCLUSIVE on
 * pg_subscription_rel and waits for that standby to confirm its commit (shardman's own ALTER SUBSCRIPTION ... REFRESH
 * did so). Every read of the subscriptions on that node then waited until statement_timeout, so the failover, which
 * inspects the subscriptions before it rewrote synchronous_standby_names, failed on every apply and recover. The
 * waits on the lost standby are now released first, without reading the catalog: the failover goes through and the
 * stuck transaction commits.
 */
@LocalClusterTest(workers = 3)
class StuckSyncWaitFailoverIT {
    private static final int VICTIM = 1;

    @TempDir
    Path directory;

    @Test
    void aCommitHoldingTheSubscriptionCatalogWhileWaitingForTheLostStandbyDoesNotBlockTheFailover(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("sync.yaml"), 3,
                ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3"));
        ClusterSpecFiles.withSettings(spec, spec, "  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        int hanging = LostNodeSyncFailoverIT.survivorWaitingOnlyForTheVictim(cluster,
                strings(cluster, VICTIM, "SELECT subname FROM pg_subscription ORDER BY 1"));

        try {
            KilledWorker.kill(cluster, VICTIM);
            CompletableFuture<Void> stuck = CompletableFuture.runAsync(() -> holdTheCatalogInASynchronousWait(cluster, hanging));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (queryLong(cluster, hanging, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stuck-catalog-writer'"
                    + " AND wait_event = 'SyncRep'") == 0) {
                assertTrue(System.nanoTime() < deadline, "the catalog writer on w" + hanging + " never waited for the dead standby");
                Thread.sleep(100);
            }

            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
            assertEquals(0, failover.exitCode(), failover.out() + failover.err());
            assertTrue(failover.out().contains("released the synchronous waits on"), failover.out());
            stuck.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1L, queryLong(cluster, hanging, "SELECT count(*) FROM pg_class WHERE relname = 'stuck_probe'"), "the stuck commit went through");

            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            KilledWorker.restart(cluster, 3);
        }
    }

    /** As shardman's REFRESH PUBLICATION did: ACCESS EXCLUSIVE on pg_subscription_rel until the commit is confirmed. */
    private static void holdTheCatalogInASynchronousWait(TestCluster cluster, int worker) {
        try (Connection connection = cluster.connect(cluster.worker(worker), "stuck-catalog-writer"); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE pg_catalog.pg_subscription_rel IN ACCESS EXCLUSIVE MODE");
            statement.execute("CREATE TABLE public.stuck_probe ()");
            connection.commit();
        } catch (java.sql.SQLException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
