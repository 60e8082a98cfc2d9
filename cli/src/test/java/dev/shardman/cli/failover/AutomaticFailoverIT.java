package dev.shardman.cli.failover;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.execute.FaultHook;
import dev.shardman.applier.failover.AutomaticFailover;
import dev.shardman.applier.failover.FailoverOutcome;
import dev.shardman.applier.failover.UnreachableNode;
import dev.shardman.applier.monitor.Monitor;
import dev.shardman.applier.monitor.MonitorEvent;
import dev.shardman.applier.monitor.MonitorOptions;
import dev.shardman.applier.monitor.NodeDownResponder;
import dev.shardman.applier.monitor.PollResult;
import dev.shardman.cli.testkit.AcknowledgingWriters;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.NavigableSet;
import java.util.TreeSet;

import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor's automatic failover, called as the monitor calls it: redundancy 1 on 3 workers, synchronous replication,
 * {@code settings.failover: {automatic: true, after: 5s}}, writers through w2 and w3 logging every acknowledged id. w1 is
 * killed (SIGKILL); reported unreachable for less than {@code after} nothing changes; after it, w1 is failed over (lost in
 * the metadata, recorded as the monitor's doing), its keys are writable again, no acknowledged row is lost. Then plan and
 * drift-check ask, in words, for {@code lost: true} in the spec and plan nothing; after that edit both are clean.
 */
@LocalClusterTest(workers = 3)
class AutomaticFailoverIT {
    private static final int WORKERS = 3;
    private static final int VICTIM = 1;
    private static final Duration AFTER = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    void aKilledWorkerIsFailedOverAfterTheDelayWithoutLosingAnAcknowledgedRow(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), WORKERS,
                ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3"));
        ClusterSpecFiles.withSettings(spec, spec, "  sync_replication: true\n  failover: {automatic: true, after: 5s}\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        AutomaticFailover responder = new AutomaticFailover(ConnectionFactory.fromEnvironment("shardman-monitor"), ConninfoSecrets.of(Map.of()), new FaultHook(Map.of()),
                SpecLoader.load(spec, Map.of()).orElseThrow());

        AcknowledgingWriters writers = new AcknowledgingWriters(cluster);
        writers.start(2, 3);
        try {
            writers.awaitAcknowledged(200);
            KilledWorker.kill(cluster, VICTIM);
            long killed = System.nanoTime();
            FailoverOutcome early = single(responder.respond(List.of(new UnreachableNode("w1", Duration.ofSeconds(1)))));
            assertEquals(FailoverOutcome.Kind.WAITING, early.kind(), early.message());
            assertFalse(lostInMetadata(cluster, "w1"), "w1 was failed over before settings.failover.after");

            long acknowledgedBeforeFailover = writers.acknowledged.size();
            MonitorEvent failedOver = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> pollUntilFailedOver(cluster, responder),
                    "the monitor did not fail w1 over");
            assertTrue(Duration.ofNanos(System.nanoTime() - killed).compareTo(AFTER) >= 0, "failed over before settings.failover.after");
            System.out.println("AutomaticFailoverIT: " + failedOver.message());
            assertTrue(lostInMetadata(cluster, "w1"), "w1 is not lost in the metadata");
            assertEquals(1L, shardlordLong(cluster, "SELECT count(*) FROM shardman.automatic_failovers WHERE node_name = 'w1'"
                    + " AND unreachable_for >= interval '5 seconds'"));

            writers.awaitAcknowledged(acknowledgedBeforeFailover + 200);
            writers.stop();
            assertTrue(writers.errorsAfterFailover().isEmpty(), "writes failed after the failover: " + writers.errorsAfterFailover());
            assertEveryAcknowledgedRowPresent(cluster, new TreeSet<>(writers.acknowledged));

            assertSpecEditAskedForAndNothingPlanned(cluster, spec);
            Path lost = directory.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
            CliRun plan = CliRun.of("plan", "-f", lost.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), plan.out() + plan.err());
            assertFalse(plan.out().contains("Warning"), plan.out());
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            FailoverOutcome again = single(responder.respond(List.of(new UnreachableNode("w1", Duration.ofMinutes(1)))));
            assertEquals(FailoverOutcome.Kind.ALREADY_LOST, again.kind(), again.message());
        } finally {
            writers.running.set(false);
            KilledWorker.restart(cluster, WORKERS);
        }
    }

    /**
     * A client's lock on a survivor stops the failover halfway: w1 is marked lost (its server fenced), its promotions
     * wait for the lock and fail, and its keys fail on every survivor. A lost node is polled no more; the monitor still
     * finishes its failover at a later poll, once the lock is gone.
     */
    @Test
    void aFailoverStoppedHalfwayByAClientsLockIsFinishedByALaterPoll(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("halfway.yaml"), WORKERS,
                ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3"));
        ClusterSpecFiles.withSettings(spec, spec, "  failover: {automatic: true, after: 5s}\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        try (Connection writer = cluster.connect(cluster.worker(2)); Statement statement = writer.createStatement()) {
            statement.execute("INSERT INTO customers (id) SELECT generate_series(1, 30)");
        }
        AutomaticFailover responder = new AutomaticFailover(ConnectionFactory.fromEnvironment("shardman-monitor"), ConninfoSecrets.of(Map.of()),
                new FaultHook(Map.of()), SpecLoader.load(spec, Map.of()).orElseThrow());
        try (Connection blocker = cluster.connect(cluster.worker(2)); Statement lock = blocker.createStatement();
             Monitor monitor = new Monitor(ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME), cluster.conninfo(cluster.shardlord()),
                     new MonitorOptions(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(10)), NodeDownResponder.failingOver(responder))) {
            blocker.setAutoCommit(false);
            lock.execute("LOCK TABLE customers IN ACCESS SHARE MODE");
            KilledWorker.kill(cluster, VICTIM);
            MonitorEvent stopped = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> pollUntil(monitor,
                    event -> event.kind() == MonitorEvent.Kind.FAILOVER_DECISION && event.message().contains("did not happen")));
            System.out.println("AutomaticFailoverIT: " + stopped.message());
            assertTrue(lostInMetadata(cluster, "w1"), "the failover stopped before w1 was marked lost: " + stopped.message());
            blocker.rollback();
            MonitorEvent finished = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> pollUntil(monitor,
                    event -> event.kind() == MonitorEvent.Kind.NODE_FAILED_OVER));
            assertTrue(finished.message().contains("w1 is lost in the metadata and its failover did not finish"), finished.message());
            assertEquals(30L, queryLong(cluster, 2, "SELECT count(*) FROM customers"), "w1's keys read through w2 again");
        } finally {
            KilledWorker.restart(cluster, WORKERS);
        }
    }

    private static MonitorEvent pollUntil(Monitor monitor, java.util.function.Predicate<MonitorEvent> wanted) throws Exception {
        while (true) {
            Optional<MonitorEvent> found = monitor.poll().events().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(1_000);
        }
    }

    /** A monitor polling every second with the automatic failover wired in, as {@code shardman monitor} runs it. */
    private static MonitorEvent pollUntilFailedOver(TestCluster cluster, AutomaticFailover failover) throws Exception {
        try (Monitor monitor = new Monitor(ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME), cluster.conninfo(cluster.shardlord()),
                new MonitorOptions(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(30)), NodeDownResponder.failingOver(failover))) {
            while (true) {
                PollResult poll = monitor.poll();
                Optional<MonitorEvent> failedOver = poll.events().stream().filter(event -> event.kind() == MonitorEvent.Kind.NODE_FAILED_OVER).findFirst();
                if (failedOver.isPresent()) {
                    return failedOver.get();
                }
                Thread.sleep(1_000);
            }
        }
    }

    /** The spec still lists w1 without lost: plan, apply and drift-check say to mark it lost, and plan no step (nothing is undone). */
    private static void assertSpecEditAskedForAndNothingPlanned(TestCluster cluster, Path spec) throws SQLException {
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.out() + plan.err());
        assertTrue(plan.out().contains("node w1 is lost in the metadata") && plan.out().contains("mark it lost: true in the spec (or remove it)"),
                plan.out());
        CliRun json = CliRun.of("plan", "-f", spec.toString(), "--json");
        assertTrue(json.out().contains("\"steps\" : [ ]"), json.out());
        long serial = shardlordLong(cluster, "SELECT serial FROM shardman.cluster");
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        assertTrue(apply.out().contains("No changes") && apply.out().contains("Warning: node w1 is lost in the metadata"), apply.out());
        assertEquals(serial, shardlordLong(cluster, "SELECT serial FROM shardman.cluster"), "apply changed the metadata");
        assertTrue(lostInMetadata(cluster, "w1"), "apply brought w1 back");
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(2, drift.exitCode(), drift.out() + drift.err());
        assertTrue(drift.out().contains("shardman monitor failed node w1 over at ") && drift.out().contains("mark it lost: true"), drift.out());
        assertFalse(drift.out().contains("Pending changes"), drift.out());
    }

    private static void assertEveryAcknowledgedRowPresent(TestCluster cluster, NavigableSet<Long> acknowledged) throws SQLException {
        for (int survivor = 2; survivor <= WORKERS; survivor++) {
            TreeSet<Long> present = new TreeSet<>();
            strings(cluster, survivor, "SELECT id FROM customers").forEach(id -> present.add(Long.parseLong(id)));
            TreeSet<Long> missing = new TreeSet<>(acknowledged);
            missing.removeAll(present);
            assertTrue(missing.isEmpty(), missing.size() + " acknowledged ids missing through w" + survivor + ", e.g. "
                    + missing.stream().limit(10).toList() + " (" + acknowledged.size() + " acknowledged)");
            // the victim's partition takes writes again: the last rows reach all three partitions
            assertEquals(3L, queryLong(cluster, survivor, "SELECT count(DISTINCT tableoid) FROM customers WHERE id > " + (acknowledged.last() - 100)),
                    "the last rows through w" + survivor + " did not reach every partition");
        }
        System.out.println("AutomaticFailoverIT: " + acknowledged.size() + " ids acknowledged, all present through w2 and w3");
    }

    static boolean lostInMetadata(TestCluster cluster, String node) throws SQLException {
        return shardlordLong(cluster, "SELECT count(*) FROM shardman.nodes WHERE lost AND name = '" + node + "'") == 1;
    }

    static long shardlordLong(TestCluster cluster, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.shardlord()); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static FailoverOutcome single(List<FailoverOutcome> outcomes) {
        assertEquals(1, outcomes.size(), outcomes.toString());
        return outcomes.get(0);
    }
}
