package dev.shardman.cli.connections;

import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.ScramLogins;
import dev.shardman.cli.testkit.SilentListener;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.shardman.cli.testkit.WorkerSql.awaitReplicasMatchPrimaries;
import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * drift-check finds connections between nodes that do not work although nothing in the spec or the environment
 * changed: a password changed on the nodes behind shardman's back (each node's foreign server for the other cannot
 * authenticate: exit 2 naming the pair and the libpq error, never a password; with the new password in the environment
 * recover re-writes the user mappings), a subscription whose apply worker cannot connect (named with its pair until
 * recover re-writes its connection), one whose publisher never answers, and one whose apply fails although its conninfo
 * is current.
 */
@LocalClusterTest(workers = 2)
class PeerConnectionDriftIT {
    private static final String OLD_PASSWORD = "Before-7731";
    private static final String NEW_PASSWORD = "After-5180";

    @TempDir
    Path directory;

    @Test
    void aPasswordChangedBehindShardmansBackIsNamedAndRecoverFixesItFromTheEnvironment(TestCluster cluster) throws Exception {
        for (int worker = 1; worker <= 2; worker++) {
            execute(cluster, worker, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shardman_peer') THEN "
                    + "CREATE ROLE shardman_peer LOGIN; END IF; END $$");
            execute(cluster, worker, "ALTER ROLE shardman_peer PASSWORD '" + OLD_PASSWORD + "'");
        }
        try (ScramLogins ignored = ScramLogins.demand(cluster, 2, List.of("shardman_peer"))) {
            Path spec = Files.writeString(directory.resolve("cluster.yaml"), spec(cluster));
            Map<String, String> before = Map.of("PEER_PW", OLD_PASSWORD);
            run(0, before, "apply", "-f", spec.toString(), "--auto-approve");
            execute(cluster, 1, "INSERT INTO customers (id) SELECT generate_series(1, 100)");
            assertEquals(100L, queryLong(cluster, 2, "SELECT count(*) FROM customers"));
            run(0, before, "drift-check", "-f", spec.toString());

            for (int worker = 1; worker <= 2; worker++) {
                execute(cluster, worker, "ALTER ROLE shardman_peer PASSWORD '" + NEW_PASSWORD + "'");
            }
            String drift = run(2, before, "drift-check", "-f", spec.toString());
            for (String pair : List.of("w1 → w2", "w2 → w1")) {
                assertTrue(drift.contains(pair + " cannot connect (") && drift.contains("password authentication failed for user \"shardman_peer\""), drift);
            }
            assertFalse(drift.contains(OLD_PASSWORD) || drift.contains(NEW_PASSWORD), drift);

            // with the old password still in the environment recover has nothing to repair, and says that the pair is broken
            String notRepaired = run(1, before, "recover", "-f", spec.toString());
            assertTrue(notRepaired.contains("Not repaired") && notRepaired.contains("w1 → w2 cannot connect ("), notRepaired);
            assertFalse(notRepaired.contains(OLD_PASSWORD) || notRepaired.contains(NEW_PASSWORD), notRepaired);

            Map<String, String> after = Map.of("PEER_PW", NEW_PASSWORD);
            String recovered = run(0, after, "recover", "-f", spec.toString());
            assertFalse(recovered.contains(OLD_PASSWORD) || recovered.contains(NEW_PASSWORD), recovered);
            assertEquals(100L, queryLong(cluster, 2, "SELECT count(*) FROM customers"), "reads through foreign partitions work again");
            run(0, after, "drift-check", "-f", spec.toString());
        }
    }

    @Test
    void aSubscriptionThatCannotConnectIsNamedWithItsPairUntilRecover(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, ClusterSpecFiles.CUSTOMERS);
        assertEquals(0, CliRun.of("apply", "-f", spec.toString(), "--auto-approve").exitCode());
        execute(cluster, 2, "INSERT INTO customers (id) SELECT generate_series(1, 100)");
        awaitReplicasMatchPrimaries(cluster, 1, 2, Duration.ofSeconds(120));
        // nothing listens on port 1: the apply worker fails to connect and is restarted every wal_retrieve_retry_interval
        String unreachable = cluster.conninfo(cluster.worker(2)).replaceFirst("port=\\d+", "port=1");
        String worker = "SELECT count(*) FROM pg_stat_subscription WHERE subname = 'shardman_sub_2_1' AND relid IS NULL AND pid IS NOT NULL";
        redirectSubscription(cluster, unreachable);
        // the running worker reads the change only at its next loop (up to a second, longer on a busy machine): until it
        // exits, the subscription still replicates and drift-check rightly names only the stale conninfo
        await("the apply worker exits after its connection changed", () -> queryLong(cluster, 1, worker) == 0);

        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(2, drift.exitCode(), drift.out() + drift.err());
        assertTrue(drift.out().contains("w2 → w1: the apply worker was not running in "), drift.out());
        assertTrue(drift.out().contains("it cannot connect to w2 (the libpq error is in w1's server log)"), drift.out());
        assertFalse(drift.out().contains("w1 → w2: the apply worker"), drift.out());

        recoverReplicatesAgain(cluster, spec, 101);
    }

    /**
     * A subscription whose publisher accepts the connection and never answers (a hung machine, a half-open path): its
     * apply worker stays in {@code pg_stat_subscription} without having received anything, which a one-sample check
     * would take for a running worker. drift-check names it as connecting without an answer; recover re-writes the
     * connection and restarts the worker, which still waits on the silent listener.
     */
    @Test
    void aSubscriptionWhosePublisherNeverAnswersIsNamedAsConnecting(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, ClusterSpecFiles.CUSTOMERS);
        assertEquals(0, CliRun.of("apply", "-f", spec.toString(), "--auto-approve").exitCode());
        String connecting = "SELECT count(*) FROM pg_stat_subscription WHERE subname = 'shardman_sub_2_1' AND relid IS NULL"
                + " AND pid IS NOT NULL AND received_lsn IS NULL";
        try (SilentListener silent = new SilentListener()) {
            String hung = cluster.conninfo(cluster.worker(2)).replaceFirst("port=\\d+", "port=" + silent.port());
            redirectSubscription(cluster, hung);
            await("the apply worker connects to the silent listener", () -> silent.connections() > 0 && queryLong(cluster, 1, connecting) > 0);
            CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
            assertEquals(2, drift.exitCode(), drift.out() + drift.err());
            assertTrue(drift.out().contains("w2 → w1: the apply worker was connecting to w2 without an answer in "), drift.out());
            assertFalse(drift.out().contains("w1 → w2: the apply worker"), drift.out());
            // the listener stays open and silent: recover must replace the worker that waits on it (it would never read
            // the new connection), and the subscription never points at its port once it is free for another server
            recoverReplicatesAgain(cluster, spec, 1);
        }
    }

    /**
     * A subscription with a current conninfo whose apply fails (a row written into w1's replica by hand collides with
     * the next one replicated from w2): the worker exits and, with wal_retrieve_retry_interval raised on w1, stays down;
     * drift-check names the pair and counts the failure. Removing the row lets it catch up, and drift-check is 0.
     */
    @Test
    void aSubscriptionWhoseApplyFailsWithACurrentConninfoIsNamed(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, ClusterSpecFiles.CUSTOMERS);
        assertEquals(0, CliRun.of("apply", "-f", spec.toString(), "--auto-approve").exitCode());
        String replica = WorkerSql.replicaTables(cluster, 1).get(0);
        int index = Integer.parseInt(replica.substring("customers_".length()));
        long id = queryLong(cluster, 2, "SELECT min(g) FROM generate_series(1000, 100000) AS g"
                + " WHERE satisfies_hash_partition('public.customers'::regclass, 12, " + index + ", g::bigint)");
        try {
            execute(cluster, 1, "ALTER SYSTEM SET wal_retrieve_retry_interval = '10min'");
            execute(cluster, 1, "SELECT pg_reload_conf()");
            // past the replica's write guard trigger, as a DBA's mistake would be
            execute(cluster, 1, "SET session_replication_role = replica; INSERT INTO public." + replica + " (id) VALUES (" + id + ")");
            execute(cluster, 2, "INSERT INTO customers (id) VALUES (" + id + ")");
            String errors = "SELECT coalesce(sum(apply_error_count), 0) FROM pg_stat_subscription_stats WHERE subname = 'shardman_sub_2_1'";
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (queryLong(cluster, 1, errors) == 0) {
                assertTrue(System.nanoTime() < deadline, "the replicated row never collided on w1");
                Thread.sleep(200);
            }
            CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
            assertEquals(2, drift.exitCode(), drift.out() + drift.err());
            assertTrue(drift.out().contains("w2 → w1: the apply worker was not running in "), drift.out());
            assertFalse(drift.out().contains("stale conninfo"), drift.out());
        } finally {
            execute(cluster, 1, "SET session_replication_role = replica; DELETE FROM public." + replica + " WHERE id = " + id);
            execute(cluster, 1, "ALTER SYSTEM RESET wal_retrieve_retry_interval");
            execute(cluster, 1, "SELECT pg_reload_conf()");
        }
        awaitReplicasMatchPrimaries(cluster, 1, 2, Duration.ofSeconds(180));
        CliRun clean = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, clean.exitCode(), clean.out() + clean.err());
    }

    /** Points w1's subscription to w2 at {@code conninfo}, behind shardman's back. */
    private static void redirectSubscription(TestCluster cluster, String conninfo) throws SQLException {
        execute(cluster, 1, "ALTER SUBSCRIPTION shardman_sub_2_1 CONNECTION '" + conninfo.replace("'", "''") + "'");
    }

    /** recover re-writes the subscription's connection: 50 rows from {@code firstId} written on w2 reach w1, drift-check is clean. */
    private static void recoverReplicatesAgain(TestCluster cluster, Path spec, int firstId) throws Exception {
        CliRun recover = CliRun.of("recover", "-f", spec.toString());
        assertEquals(0, recover.exitCode(), recover.out() + recover.err());
        execute(cluster, 2, "INSERT INTO customers (id) SELECT generate_series(" + firstId + ", " + (firstId + 49) + ")");
        awaitReplicasMatchPrimaries(cluster, 1, 2, Duration.ofSeconds(120));
        CliRun clean = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, clean.exitCode(), clean.out() + clean.err());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "not within 60 s: " + what);
            Thread.sleep(100);
        }
    }

    private static String spec(TestCluster cluster) {
        StringBuilder yaml = new StringBuilder("cluster: peers\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
        for (int worker = 1; worker <= 2; worker++) {
            String base = cluster.conninfo(cluster.worker(worker));
            yaml.append("  - name: w").append(worker).append("\n    super_conninfo: \"").append(base).append("\"")
                    .append("\n    conninfo: \"").append(base.replace("user=postgres", "user=shardman_peer")).append(" password=${env:PEER_PW}\"")
                    .append("\n    replication_group: rg1\n");
        }
        return yaml + "tables:\n" + ClusterSpecFiles.CUSTOMERS;
    }

    private String run(int exitCode, Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        return ChildCli.run(directory, environment, exitCode, arguments);
    }
}
