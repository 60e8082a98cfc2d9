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
import java.util.concurrent.TimeUnit;

import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session on a survivor waits for its only synchronous standby, a node that died: the failover must go through it. */
@LocalClusterTest(workers = 3)
class StuckSyncWaitFailoverIT {
    private static final int VICTIM = 1;
    private static final String GID = "shardman_0123456789abcdef0123456789abcdef_7_9";

    @TempDir
    Path directory;

    /**
     * Chaos seed 6021: the waiting transaction holds ACCESS EXCLUSIVE on pg_subscription_rel (shardman's own ALTER
     * SUBSCRIPTION ... REFRESH did so). Every read of the subscriptions on that node then waited until
     * statement_timeout, so the failover, which inspected the subscriptions before it rewrote synchronous_standby_names,
     * failed on every apply and recover. The waits on the lost standby are now released first, without reading the
     * catalog: the failover goes through and the stuck transaction commits.
     */
    @Test
    void aCommitHoldingTheSubscriptionCatalogWhileWaitingForTheLostStandbyDoesNotBlockTheFailover(TestCluster cluster) throws Exception {
        Path spec = syncCluster(cluster);
        int hanging = survivorWaitingOnlyForTheVictim(cluster);
        try {
            KilledWorker.kill(cluster, VICTIM);
            CompletableFuture<Void> stuck = CompletableFuture.runAsync(() -> holdTheCatalogInASynchronousWait(cluster, hanging));
            awaitSynchronousWait(cluster, hanging, "stuck-catalog-writer");

            CliRun failover = failOver(spec);
            assertTrue(failover.out().contains("released the synchronous waits on"), failover.out());
            stuck.get(60, TimeUnit.SECONDS);
            assertEquals(1L, queryLong(cluster, hanging, "SELECT count(*) FROM pg_class WHERE relname = 'stuck_probe'"), "the stuck commit went through");
            assertDriftFree();
        } finally {
            KilledWorker.restart(cluster, 3);
        }
    }

    /**
     * Chaos seed 31001: an apply's PREPARE TRANSACTION on a survivor waited for its only synchronous standby, a node that
     * had died; the apply gave up on the node and ended, the session on the node went on waiting and held the gid. The
     * next apply (the dead node marked lost) found the prepared transaction "busy" and left the whole node out of its
     * recovery; the failover released the wait, and the transaction stayed prepared with its locks, so the steps after
     * it ran into their lock timeout. Recovery now resolves it once it has released the waits on lost standbys.
     */
    @Test
    void aPreparedTransactionStillWaitingForTheLostStandbyIsRolledBackByTheFailoverApply(TestCluster cluster) throws Exception {
        Path spec = syncCluster(cluster);
        int hanging = survivorWaitingOnlyForTheVictim(cluster);
        try {
            KilledWorker.kill(cluster, VICTIM);
            CompletableFuture<Void> preparing = CompletableFuture.runAsync(() -> prepareWhileHoldingTheTable(cluster, hanging));
            awaitSynchronousWait(cluster, hanging, "earlier-apply");

            CliRun failover = failOver(spec);
            assertTrue(failover.out().contains("w" + hanging + ": rolled back prepared transaction " + GID + " (its step was never committed)"),
                    failover.out());
            preparing.get(60, TimeUnit.SECONDS);
            assertEquals(0L, queryLong(cluster, hanging, "SELECT count(*) FROM pg_prepared_xacts"), "nothing of it stays prepared");
            assertEquals(0L, queryLong(cluster, hanging, "SELECT count(*) FROM pg_class WHERE relname = 'busy_probe'"), "it was rolled back");
            assertDriftFree();
        } finally {
            KilledWorker.restart(cluster, 3);
        }
    }

    /** Three workers, synchronous replication, customers in 3 partitions with a replica each. */
    private Path syncCluster(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("sync.yaml"), 3,
                ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3"));
        ClusterSpecFiles.withSettings(spec, spec, "  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        return spec;
    }

    private static int survivorWaitingOnlyForTheVictim(TestCluster cluster) throws Exception {
        return LostNodeSyncFailoverIT.survivorWaitingOnlyForTheVictim(cluster, strings(cluster, VICTIM, "SELECT subname FROM pg_subscription ORDER BY 1"));
    }

    private static void awaitSynchronousWait(TestCluster cluster, int worker, String applicationName) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (queryLong(cluster, worker, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName
                + "' AND wait_event = 'SyncRep'") == 0) {
            assertTrue(System.nanoTime() < deadline, applicationName + " on w" + worker + " never waited for the dead standby");
            Thread.sleep(100);
        }
    }

    /** apply with the victim marked lost: it must succeed. */
    private CliRun failOver(Path spec) throws Exception {
        Path lost = directory.resolve("lost.yaml");
        Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
        CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"));
        assertEquals(0, failover.exitCode(), failover.out() + failover.err());
        return failover;
    }

    private void assertDriftFree() {
        CliRun drift = CliRun.of("drift-check", "-f", directory.resolve("lost.yaml").toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }

    /** As a step's node work does: a lock on the user's table, then PREPARE, which waits for the synchronous standby. */
    private static void prepareWhileHoldingTheTable(TestCluster cluster, int worker) {
        try (Connection connection = cluster.connect(cluster.worker(worker), "earlier-apply"); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE public.customers IN ACCESS EXCLUSIVE MODE");
            statement.execute("CREATE TABLE public.busy_probe ()");
            statement.execute("PREPARE TRANSACTION '" + GID + "'");
        } catch (java.sql.SQLException failure) {
            throw new IllegalStateException(failure);
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
