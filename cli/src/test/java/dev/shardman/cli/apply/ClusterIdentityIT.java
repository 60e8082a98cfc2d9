package dev.shardman.cli.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.shardlordStrings;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spec whose shardlord: is another cluster's database (a copied file, a wrong ${env:} value): every command that
 * reads or changes the live cluster refuses it, naming both clusters, and nothing changes. Before, plan and apply took
 * the other cluster's metadata for the spec's and planned to reshape it (with --allow-destroy: drop its tables).
 */
@LocalClusterTest(workers = 3)
class ClusterIdentityIT {
    @TempDir
    Path directory;

    @Test
    void everyLiveCommandRefusesASpecOfAnotherClusterAndChangesNothing(TestCluster cluster) throws Exception {
        Path ours = ClusterSpecFiles.write(cluster, directory.resolve("ours.yaml"), 2, ClusterSpecFiles.CUSTOMERS);
        assertEquals(0, CliRun.of("apply", "-f", ours.toString(), "--auto-approve").exitCode());
        List<String> before = metadata(cluster);

        // the other team's spec: another cluster with other tables, pointed at our shardlord
        Path theirs = Files.writeString(directory.resolve("theirs.yaml"), Files.readString(
                ClusterSpecFiles.write(cluster, directory.resolve("other-tables.yaml"), 2, ClusterSpecFiles.COUNTRIES))
                .replace("cluster: test\n", "cluster: staging\n"));
        List<List<String>> commands = List.of(
                List.of("plan", "-f", theirs.toString()),
                List.of("apply", "-f", theirs.toString(), "--auto-approve", "--allow-destroy"),
                List.of("drift-check", "-f", theirs.toString()),
                List.of("status", "-f", theirs.toString()),
                List.of("verify", "-f", theirs.toString()),
                List.of("exec", "-f", theirs.toString(), "SELECT 1"),
                List.of("recover", "-f", theirs.toString()),
                List.of("report", "-f", theirs.toString(), "--html", directory.resolve("report.html").toString()),
                List.of("state", "pull", "-f", theirs.toString()),
                List.of("monitor", "-f", theirs.toString(), "--once"),
                List.of("wipe-state", "--node", "w3", "-f", theirs.toString(), "--conninfo", cluster.conninfo(cluster.worker(2)), "--dry-run"));
        for (List<String> command : commands) {
            CliRun refused = CliRun.of(command.toArray(String[]::new));
            assertEquals(1, refused.exitCode(), command + ": " + refused.out() + refused.err());
            assertTrue(refused.err().contains("the shardlord holds the cluster test, not the spec's staging"), command + ": " + refused.err());
            assertFalse(refused.out().contains("countries"), command + " showed the other spec's plan: " + refused.out());
        }

        assertEquals(before, metadata(cluster), "the metadata is as it was");
        assertEquals(0, CliRun.of("plan", "-f", ours.toString(), "--detailed-exitcode").exitCode());
        assertEquals(0, CliRun.of("drift-check", "-f", ours.toString()).exitCode());
    }

    @Test
    void aDatabaseThatIsANodeOfAnotherClusterIsNotRegisteredAndKeepsItsObjects(TestCluster cluster) throws Exception {
        Path ours = ClusterSpecFiles.write(cluster, directory.resolve("ours.yaml"), 2, ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.COUNTRIES);
        assertEquals(0, CliRun.of("apply", "-f", ours.toString(), "--auto-approve").exitCode());
        List<String> before = metadata(cluster);

        // a second cluster with a shardlord and a w2 database of its own, but whose n1 is our w1's database (a copied conninfo)
        String fresh = "other_" + Integer.toHexString(cluster.database().hashCode());
        try (Connection shardlord = cluster.withDatabase("postgres").connect(cluster.shardlord());
             Connection w2 = cluster.withDatabase("postgres").connect(cluster.worker(2))) {
            shardlord.createStatement().execute("CREATE DATABASE " + fresh);
            w2.createStatement().execute("CREATE DATABASE " + fresh);
        }
        TestCluster other = cluster.withDatabase(fresh);
        Path theirs = Files.writeString(directory.resolve("theirs.yaml"), """
                cluster: staging
                shardlord: "%s"
                nodes:
                  - {name: n1, super_conninfo: "%s", replication_group: g1}
                  - {name: n2, super_conninfo: "%s", replication_group: g1}
                tables:
                  - name: events
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                    primary_key: [id]
                    sharding_key: id
                    partitions: 4
                """.formatted(other.conninfo(cluster.shardlord()), cluster.conninfo(cluster.worker(1)), other.conninfo(cluster.worker(2))));
        for (String command : List.of("plan", "apply")) {
            CliRun refused = command.equals("plan") ? CliRun.of("plan", "-f", theirs.toString())
                    : CliRun.of("apply", "-f", theirs.toString(), "--auto-approve");
            assertEquals(1, refused.exitCode(), command + ": " + refused.out() + refused.err());
            assertTrue(refused.err().contains("n1 is registered as a new node, but its database already holds shardman's objects (foreign server"
                    + " shardman_node_2"), command + ": " + refused.err());
            assertTrue(refused.err().contains("run shardman wipe-state on it first"), refused.err());
        }
        assertEquals(List.of(), shardlordStringsOf(other, "SELECT name FROM shardman.nodes"), "the other cluster registered nothing");
        assertEquals(before, metadata(cluster));
        CliRun drift = CliRun.of("drift-check", "-f", ours.toString());
        assertEquals(0, drift.exitCode(), "our w1 kept its publications, subscriptions and foreign servers: " + drift.out() + drift.err());
    }

    @Test
    void aNodeWhoseAddressReachesAnotherServerIsNotRepairedUntilItIsAccepted(TestCluster cluster) throws Exception {
        // without replicas: the old server keeps running here, and its subscriptions would hold their slots' names
        Path ours = ClusterSpecFiles.write(cluster, directory.resolve("ours.yaml"), 2, ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0"));
        assertEquals(0, CliRun.of("apply", "-f", ours.toString(), "--auto-approve").exitCode());
        List<String> before = shardlordStrings(cluster, "SELECT serial || ' ' || n.super_conninfo FROM shardman.cluster, shardman.nodes n WHERE n.name = 'w2'");

        // a spec whose w2 now names w3's server (an edited conninfo): plan and apply refuse it
        Path elsewhere = Files.writeString(directory.resolve("elsewhere.yaml"), Files.readString(ours)
                .replace(cluster.conninfo(cluster.worker(2)), cluster.conninfo(cluster.worker(3))));
        for (List<String> command : List.of(List.of("plan", "-f", elsewhere.toString()), List.of("apply", "-f", elsewhere.toString(), "--auto-approve"))) {
            CliRun refused = CliRun.of(command.toArray(String[]::new));
            assertEquals(1, refused.exitCode(), command + ": " + refused.out() + refused.err());
            assertTrue(refused.err().contains("w2 is not the server registered as w2: its system identifier is "), command + ": " + refused.err());
        }
        assertEquals(before, shardlordStrings(cluster, "SELECT serial || ' ' || n.super_conninfo FROM shardman.cluster, shardman.nodes n WHERE n.name = 'w2'"),
                "apply's step refused it (journaled as failed); the node's conninfo and the serial are as they were");

        // the server at w2's recorded address is another one now (re-created empty): recover repairs nothing until it is accepted
        execute(cluster, 0, "UPDATE shardman.nodes SET super_conninfo = '" + cluster.conninfo(cluster.worker(3)) + "' WHERE name = 'w2'");
        CliRun drift = CliRun.of("drift-check", "-f", elsewhere.toString(), "--json");
        assertEquals(2, drift.exitCode(), drift.out() + drift.err());
        assertTrue(drift.out().contains("\"code\" : \"other-server\"") || drift.out().contains("\"code\":\"other-server\""), drift.out());
        assertTrue(drift.out().contains("w2 is not the server registered as w2"), drift.out());
        assertEquals(1, new ObjectMapper().readTree(drift.out()).path("drift").findValuesAsText("node").stream().filter("w2"::equals).count(),
                "the objects missing on the other server are counted in its one finding: " + drift.out());
        assertTrue(drift.out().contains("more finding(s) on w2 follow from it and are not listed"), drift.out());
        CliRun refused = CliRun.of("recover", "-f", elsewhere.toString());
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("run shardman recover --accept-server w2"), refused.err());
        assertEquals(List.of("0"), strings(cluster, 3, "SELECT count(*) FROM pg_class WHERE relname LIKE 'customers%'"), "nothing created on w3's server");

        CliRun accepted = CliRun.of("recover", "-f", elsewhere.toString(), "--accept-server", "w2");
        assertEquals(0, accepted.exitCode(), accepted.out() + accepted.err());
        assertTrue(accepted.out().contains("w2: accepted the server with system identifier "), accepted.out());
        assertEquals(0, CliRun.of("drift-check", "-f", elsewhere.toString()).exitCode(), "the accepted server was repaired to w2's objects");
    }

    /** A query on the shardlord's database of {@code cluster}; no rows when shardman's schema is not there. */
    private static List<String> shardlordStringsOf(TestCluster cluster, String sql) throws Exception {
        try (Connection connection = cluster.connect(cluster.shardlord())) {
            if (!connection.createStatement().executeQuery("SELECT to_regclass('shardman.nodes') IS NOT NULL").next()) {
                return List.of();
            }
        }
        return shardlordStrings(cluster, sql);
    }

    private static List<String> metadata(TestCluster cluster) throws Exception {
        return shardlordStrings(cluster, "SELECT name || ' ' || serial || ' ' || (SELECT count(*) FROM shardman.journal) FROM shardman.cluster");
    }
}
