package dev.shardman.cli.failover;

import dev.shardman.cli.testkit.AcknowledgingWriters;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover of a worker killed with SIGKILL under synchronous replication, with writers running: redundancy 1
 * on 3 workers ({@code settings.sync_replication: true}, 3 partitions, so that one survivor's only synchronous
 * standby is on the victim), one writer thread per survivor inserting one row per commit and recording every
 * id whose commit returned OK. After the kill the writer whose commit waits for the dead standby hangs
 * ({@code wait_event = 'SyncRep'}: statement_timeout does not end it); the spec marks the victim lost and
 * apply fails over: synchronous_standby_names is rewritten before the node work (the hung commits finish),
 * the victim's partitions are promoted on their replicas. Then every partition is readable and writable
 * through both survivors, and every acknowledged id is there.
 */
@LocalClusterTest(workers = 3)
class LostNodeSyncFailoverIT {
    private static final int WORKERS = 3;
    private static final int VICTIM = 1;
    /** The backends waiting for a synchronous standby, each by pid and transaction start (a later wait of the same backend differs). */
    private static final String HUNG_COMMITS = "SELECT pid || ' ' || xact_start FROM pg_stat_activity WHERE wait_event = 'SyncRep'";

    @TempDir
    Path directory;

    @Test
    void everyAcknowledgedRowSurvivesTheLossOfASynchronousReplicaHolder(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("sync.yaml"), WORKERS,
                ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3"));
        ClusterSpecFiles.withSettings(spec, spec, "  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());

        List<String> victimSubscriptions = strings(cluster, VICTIM, "SELECT subname FROM pg_subscription ORDER BY 1");
        int hanging = survivorWaitingOnlyForTheVictim(cluster, victimSubscriptions);

        AcknowledgingWriters writers = new AcknowledgingWriters(cluster);
        writers.start(2, 3);
        try {
            writers.awaitAcknowledged(200);
            KilledWorker.kill(cluster, VICTIM);
            Thread.sleep(3_000);
            List<String> hung = strings(cluster, hanging, HUNG_COMMITS);
            assertFalse(hung.isEmpty(), "no commit on w" + hanging + " waits for the dead synchronous standby");
            long acknowledgedBeforeFailover = writers.acknowledged.size();

            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
            CliRun failover = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> CliRun.of("apply", "-f", lost.toString(), "--auto-approve"),
                    "the failover apply did not finish (a replication wait that never ends?)");
            assertEquals(0, failover.exitCode(), failover.out() + failover.err());
            System.out.println(failover.out());
            // commits may wait for the live standby a moment (synchronous replication goes on): the hung ones must be gone
            List<String> stillHung = new ArrayList<>(strings(cluster, hanging, HUNG_COMMITS));
            stillHung.retainAll(hung);
            assertTrue(stillHung.isEmpty(), "commits on w" + hanging + " still wait for the dead standby: " + stillHung);

            writers.awaitAcknowledged(acknowledgedBeforeFailover + 200);
            writers.stop();
            assertTrue(writers.errorsAfterFailover().isEmpty(), "writes failed after the failover: " + writers.errorsAfterFailover());

            NavigableSet<Long> acknowledged = new TreeSet<>(writers.acknowledged);
            for (int survivor = 2; survivor <= WORKERS; survivor++) {
                TreeSet<Long> present = new TreeSet<>();
                strings(cluster, survivor, "SELECT id FROM customers").forEach(id -> present.add(Long.parseLong(id)));
                TreeSet<Long> missing = new TreeSet<>(acknowledged);
                missing.removeAll(present);
                assertTrue(missing.isEmpty(), missing.size() + " acknowledged ids missing through w" + survivor + ", e.g. "
                        + missing.stream().limit(10).toList() + " (" + acknowledged.size() + " acknowledged)");
                long last = acknowledged.last();
                assertEquals(3L, queryLong(cluster, survivor, "SELECT count(DISTINCT tableoid) FROM customers WHERE id > " + (last - 100)),
                        "the last rows through w" + survivor + " did not reach every partition");
            }
            System.out.println("LostNodeSyncFailoverIT: " + acknowledged.size() + " ids acknowledged (" + acknowledgedBeforeFailover
                    + " before the failover apply), all present through w2 and w3");
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        } finally {
            writers.running.set(false);
            KilledWorker.restart(cluster, WORKERS);
        }
    }

    /** The survivor whose synchronous_standby_names names only subscriptions on the victim: its commits hang with it. */
    static int survivorWaitingOnlyForTheVictim(TestCluster cluster, List<String> victimSubscriptions) throws SQLException {
        List<String> seen = new ArrayList<>();
        for (int survivor = 1; survivor <= WORKERS; survivor++) {
            if (survivor == VICTIM) {
                continue;
            }
            String standbys = strings(cluster, survivor, "SELECT current_setting('synchronous_standby_names')").get(0);
            seen.add("w" + survivor + ": " + standbys);
            List<String> named = List.of(standbys.replaceAll("^ANY [0-9]+ \\(|\\)$", "").replace("\"", "").split(", "));
            if (!standbys.isEmpty() && victimSubscriptions.containsAll(named)) {
                return survivor;
            }
        }
        throw new AssertionError("no survivor depends on w" + VICTIM + " alone for synchronous commits: " + seen
                + "; subscriptions on w" + VICTIM + ": " + victimSubscriptions);
    }
}
