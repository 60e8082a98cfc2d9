package dev.shardman.cli.connections;

import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.ScramLogins;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.shardman.cli.testkit.WorkerSql.query;
import static dev.shardman.cli.testkit.WorkerSql.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection settings are desired state. Nodes are reached through {@code host=${env:W<n>_HOST}}, the superuser
 * conninfo as {@code shardman_admin} and the FDW one as {@code shardman_app}, both with {@code ${env:...}} passwords
 * that the workers check (scram). The resolved host reaches the foreign servers; after both passwords are rotated on
 * every node and in the environment, drift-check names the stale user mappings and subscriptions (exit 2, no
 * password in its output) and recover makes reads through foreign partitions and replication work again. A changed
 * conninfo key is a planned update that copies nothing again.
 */
@LocalClusterTest(workers = 2)
class ConnectionSettingsIT {
    private static final String OLD_PASSWORD = "Old-pw-1142";
    private static final String NEW_PASSWORD = "New-pw-2977";
    private static final List<String> ROLES = List.of("shardman_admin", "shardman_app");

    @TempDir
    Path directory;

    @Test
    void environmentHostsReachForeignServersAndRotatedPasswordsAreRepaired(TestCluster cluster) throws Exception {
        for (int worker = 1; worker <= 2; worker++) {
            execute(cluster, worker, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shardman_admin') THEN "
                    + "CREATE ROLE shardman_admin SUPERUSER LOGIN; END IF; "
                    + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shardman_app') THEN CREATE ROLE shardman_app LOGIN; END IF; END $$");
            setPasswords(cluster, worker, OLD_PASSWORD);
        }
        try (ScramLogins ignored = ScramLogins.demand(cluster, 2, ROLES)) {
            Path spec = Files.writeString(directory.resolve("cluster.yaml"), spec(cluster));
            Map<String, String> oldEnvironment = environment(OLD_PASSWORD);
            run(0, oldEnvironment, "apply", "-f", spec.toString(), "--auto-approve");

            assertEquals("host=127.0.0.1", query(cluster, 1, "SELECT string_agg(o, ',') FROM pg_foreign_server, unnest(srvoptions) o "
                    + "WHERE srvname LIKE 'shardman_node_%' AND o LIKE 'host=%'"), "the resolved ${env:W2_HOST} reaches w1's server for w2");
            execute(cluster, 1, "INSERT INTO customers (id) SELECT generate_series(1, 100)");
            assertEquals("100", query(cluster, 2, "SELECT count(*)::text FROM customers"), "reads through w2's foreign partitions");
            awaitReplicated(cluster, 100);
            run(0, oldEnvironment, "drift-check", "-f", spec.toString());

            for (int worker = 1; worker <= 2; worker++) {
                setPasswords(cluster, worker, NEW_PASSWORD);
                // the walsenders' sessions outlive the change; cut them so that the subscriptions must log in again
                query(cluster, worker, "SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_replication");
            }
            SQLException stale = assertThrows(SQLException.class, () -> query(cluster, 2, "SELECT count(*)::text FROM customers"));
            assertTrue(stale.getMessage().contains("could not connect to server"), stale.getMessage());

            Map<String, String> newEnvironment = environment(NEW_PASSWORD);
            String drift = run(2, newEnvironment, "drift-check", "-f", spec.toString());
            assertTrue(drift.contains("user mapping for CURRENT_USER on shardman_node_2 has a stale password"), drift);
            assertTrue(drift.contains("user mapping for PUBLIC on shardman_node_1 has a stale password"), drift);
            assertTrue(drift.contains("subscription shardman_sub_1_2") && drift.contains("connects with a stale conninfo"), drift);
            assertTrue(drift.contains("w2 → w1 cannot connect (") && drift.contains("password authentication failed for user \"shardman_app\""), drift);
            assertFalse(drift.contains(OLD_PASSWORD) || drift.contains(NEW_PASSWORD), drift);
            // the password is not in the metadata: no step, but plan shows the repair apply would make first
            String plan = run(2, newEnvironment, "plan", "-f", spec.toString(), "--detailed-exitcode");
            assertTrue(plan.contains("user mapping for CURRENT_USER on shardman_node_2 has a stale password") && plan.contains("No steps after it"), plan);
            assertFalse(plan.contains(OLD_PASSWORD) || plan.contains(NEW_PASSWORD), plan);

            String recovered = run(0, newEnvironment, "recover", "-f", spec.toString());
            assertFalse(recovered.contains(OLD_PASSWORD) || recovered.contains(NEW_PASSWORD), recovered);
            assertEquals("100", query(cluster, 2, "SELECT count(*)::text FROM customers"), "reads through foreign partitions work again");
            execute(cluster, 2, "INSERT INTO customers (id) SELECT generate_series(101, 150)");
            awaitReplicated(cluster, 150);
            run(0, newEnvironment, "drift-check", "-f", spec.toString());
            assertFalse(serverLogs(cluster).contains(NEW_PASSWORD), "the new password reached a server log");
        }
    }

    /**
     * A key of w2's conninfo changes (sslmode=disable added; the servers serve no TLS, so the connections keep working):
     * plan shows one {@code ~} step naming the keyword, apply rewrites w1's foreign server for w2 and its subscription
     * from w2 in place, and no replica is copied again (same relfilenodes, same subscription).
     */
    @Test
    void aChangedConninfoKeyIsPlannedAsAnUpdateWithoutCopyingData(TestCluster cluster) throws Exception {
        Path spec = Files.writeString(directory.resolve("cluster.yaml"), plainSpec(cluster, ""));
        run(0, Map.of(), "apply", "-f", spec.toString(), "--auto-approve");
        execute(cluster, 1, "INSERT INTO customers (id) SELECT generate_series(1, 100)");
        awaitReplicated(cluster, 100);
        String replicaFiles = "SELECT string_agg(srsubid || ':' || srrelid::regclass || ':' || pg_relation_filenode(srrelid), ',' "
                + "ORDER BY srrelid::regclass::text) FROM pg_subscription_rel";
        String before = query(cluster, 1, replicaFiles);

        Files.writeString(spec, plainSpec(cluster, " sslmode=disable"));
        String plan = run(2, Map.of(), "plan", "-f", spec.toString(), "--detailed-exitcode");
        assertTrue(plan.contains("~ w2 will be updated: super_conninfo (sslmode)"), plan);
        assertTrue(plan.contains("Plan: 0 to create, 1 to change, 0 to move, 0 to destroy."), plan);
        run(0, Map.of(), "apply", "-f", spec.toString(), "--auto-approve");

        assertEquals("sslmode=disable", query(cluster, 1, "SELECT string_agg(o, ',') FROM pg_foreign_server, unnest(srvoptions) o "
                + "WHERE srvname = 'shardman_node_2' AND o LIKE 'ssl%'"));
        assertEquals("true", query(cluster, 1, "SELECT (subconninfo LIKE '%sslmode=disable%')::text FROM pg_subscription WHERE subname = 'shardman_sub_2_1'"));
        assertEquals("false", query(cluster, 2, "SELECT (subconninfo LIKE '%sslmode%')::text FROM pg_subscription WHERE subname = 'shardman_sub_1_2'"));
        assertEquals(before, query(cluster, 1, replicaFiles), "the replicas on w1 were not copied again");
        execute(cluster, 2, "INSERT INTO customers (id) SELECT generate_series(101, 120)");
        assertEquals("120", query(cluster, 1, "SELECT count(*)::text FROM customers"));
        awaitReplicated(cluster, 120);
        run(0, Map.of(), "plan", "-f", spec.toString(), "--detailed-exitcode");
        run(0, Map.of(), "drift-check", "-f", spec.toString());
    }

    private static String plainSpec(TestCluster cluster, String w2Extra) {
        StringBuilder yaml = new StringBuilder("cluster: keys\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
        for (int worker = 1; worker <= 2; worker++) {
            yaml.append("  - name: w").append(worker).append("\n    super_conninfo: \"").append(cluster.conninfo(cluster.worker(worker)))
                    .append(worker == 2 ? w2Extra : "").append("\"\n    replication_group: rg1\n");
        }
        return yaml + ClusterSpecFiles.CUSTOMERS.replace("  - name: customers", "tables:\n  - name: customers");
    }

    private static String spec(TestCluster cluster) {
        StringBuilder yaml = new StringBuilder("cluster: rotation\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
        for (int worker = 1; worker <= 2; worker++) {
            String base = cluster.conninfo(cluster.worker(worker)).replace("host=127.0.0.1", "host=${env:W" + worker + "_HOST}");
            assertTrue(base.contains("${env:W" + worker + "_HOST}") && base.contains("user=postgres"), base);
            yaml.append("  - name: w").append(worker)
                    .append("\n    super_conninfo: \"").append(base.replace("user=postgres", "user=shardman_admin")).append(" password=${env:ADMIN_PW}\"")
                    .append("\n    conninfo: \"").append(base.replace("user=postgres", "user=shardman_app")).append(" password=${env:APP_PW}\"\n    replication_group: rg1\n");
        }
        return yaml + ClusterSpecFiles.CUSTOMERS.replace("  - name: customers", "tables:\n  - name: customers");
    }

    private static Map<String, String> environment(String password) {
        return Map.of("W1_HOST", "127.0.0.1", "W2_HOST", "127.0.0.1", "ADMIN_PW", password, "APP_PW", password);
    }

    private static void setPasswords(TestCluster cluster, int worker, String password) throws SQLException {
        for (String role : ROLES) {
            execute(cluster, worker, "ALTER ROLE " + role + " PASSWORD '" + password + "'");
        }
    }

    /** The workers ask both roles for their scram password (the harness's postgres keeps trust); bounded wait for the reload. */
    /** Every partition has its one replica on the other worker: the replica tables of both hold {@code rows} in all. */
    private static void awaitReplicated(TestCluster cluster, long rows) throws Exception {
        String replicated = "SELECT coalesce(sum((xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || srrelid::regclass, "
                + "false, true, '')))[1]::text::bigint), 0)::text FROM pg_subscription_rel";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = Long.parseLong(query(cluster, 1, replicated)) + Long.parseLong(query(cluster, 2, replicated));
            if (seen == rows) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replicas hold " + seen + " rows after 180 s, expected " + rows);
    }

    private String serverLogs(TestCluster cluster) throws IOException {
        StringBuilder logs = new StringBuilder();
        for (var instance : cluster.instances()) {
            logs.append(Files.readString(cluster.serverLog(instance)));
        }
        return logs.toString();
    }

    private String run(int exitCode, Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        return ChildCli.run(directory, environment, exitCode, arguments);
    }
}
