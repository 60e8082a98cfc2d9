package dev.shardman.cli.monitor;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.monitor.Monitor;
import dev.shardman.applier.monitor.MonitorEvent;
import dev.shardman.applier.monitor.MonitorOptions;
import dev.shardman.applier.monitor.NodeDownResponder;
import dev.shardman.applier.monitor.PollResult;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two monitors on one cluster: the first to poll holds the lease and acts (polls the nodes), the other stands by and
 * polls nothing. The holder is then abandoned without releasing (as a kill -9 leaves it): the standby takes over once
 * the lease has expired, not before, and within one lease period and one interval (plus a margin for a slow machine).
 * The old holder, back, stands by. A clean stop releases the lease: the standby acts at its next poll. And the
 * monitor's part of recovery: a stale shardman-prepared transaction is resolved as recover resolves it.
 */
@LocalClusterTest(workers = 1)
class MonitorLeaseIT {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final String ITEMS = """
              - name: items
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                primary_key: [id]
                sharding_key: id
                partitions: 2
            """;

    @TempDir
    Path directory;

    @Test
    void theStandbyTakesOverWithinOneLeasePeriodOfTheHoldersDeath(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 1, ITEMS);
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        try (Monitor first = monitor(cluster); Monitor second = monitor(cluster)) {
            PollResult acting = first.poll();
            assertTrue(acting.active() && acting.nodes().size() == 1, acting.toString());
            assertTrue(has(acting, MonitorEvent.Kind.LEASE_ACQUIRED), acting.events().toString());
            PollResult standing = second.poll();
            assertFalse(standing.active(), standing.toString());
            assertTrue(standing.nodes().isEmpty(), "a standby polls no node");
            assertTrue(has(standing, MonitorEvent.Kind.STANDBY), standing.events().toString());

            long lastRenewal = System.nanoTime();
            assertTrue(first.poll().active(), "the holder renews"); // then the holder "dies": it never polls again
            long tookOver = awaitActive(second);
            double seconds = (tookOver - lastRenewal) / 1e9;
            assertTrue(seconds >= LEASE.toSeconds() - 0.5, "took over after " + seconds + " s, before the lease expired");
            assertTrue(seconds <= LEASE.plus(INTERVAL).toSeconds() + 3, "took over after " + seconds + " s");

            PollResult back = first.poll();
            assertFalse(back.active(), "the old holder, back, stands by");
            assertTrue(has(back, MonitorEvent.Kind.STANDBY), back.events().toString());

            second.close(); // a clean stop releases the lease
            PollResult handedOver = first.poll();
            assertTrue(handedOver.active(), "released: the standby acts at its next poll");
        }
    }

    /** A shardman-prepared transaction older than the threshold is reported, then resolved as recover does (no decision: rolled back). */
    @Test
    void aStalePreparedTransactionIsReportedAndResolvedAsRecoverDoes(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 1, ITEMS);
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        try (Connection session = cluster.connect(cluster.worker(1)); Statement statement = session.createStatement()) {
            session.setAutoCommit(false);
            statement.execute("INSERT INTO items (id) VALUES (1)");
            statement.execute("PREPARE TRANSACTION 'shardman_monitorit_w1'");
        }
        ClusterSpec clusterSpec = SpecLoader.load(spec, Map.of()).spec().orElseThrow();
        ConnectionFactory factory = ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME).withNodeTimeout(Duration.ofSeconds(10));
        try (Monitor monitor = new Monitor(factory, cluster.conninfo(cluster.shardlord()), new MonitorOptions(INTERVAL, Duration.ofSeconds(1), LEASE),
                NodeDownResponder.reportOnly(), () -> ApplyEngine.fromEnvironment().resolveDecidedTransactions(clusterSpec))) {
            PollResult young = monitor.poll();
            assertFalse(has(young, MonitorEvent.Kind.PREPARED_TRANSACTION_STALE), young.events().toString());
            Thread.sleep(1500);
            PollResult stale = monitor.poll();
            assertTrue(has(stale, MonitorEvent.Kind.PREPARED_TRANSACTION_STALE), stale.events().toString());
            assertTrue(stale.events().stream().anyMatch(event -> event.kind() == MonitorEvent.Kind.PREPARED_TRANSACTION_RESOLVED
                    && event.message().equals("w1: rolled back prepared transaction shardman_monitorit_w1 (its step was never committed)")),
                    stale.events().toString());
        }
        assertEquals(0, WorkerSql.queryLong(cluster, 1, "SELECT count(*) FROM pg_prepared_xacts"));
        assertEquals(0, WorkerSql.queryLong(cluster, 1, "SELECT count(*) FROM items"), "rolled back");
    }

    private static Monitor monitor(TestCluster cluster) {
        ConnectionFactory factory = ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME).withNodeTimeout(Duration.ofSeconds(10));
        return new Monitor(factory, cluster.conninfo(cluster.shardlord()), new MonitorOptions(INTERVAL, Duration.ofMinutes(5), LEASE),
                NodeDownResponder.reportOnly());
    }

    private static long awaitActive(Monitor standby) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            long started = System.nanoTime();
            if (standby.poll().active()) {
                return started;
            }
            Thread.sleep(INTERVAL.toMillis());
        }
        return fail("the standby never took over");
    }

    private static boolean has(PollResult poll, MonitorEvent.Kind kind) {
        return poll.events().stream().anyMatch(event -> event.kind() == kind);
    }
}
