package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.shardman.cli.testkit.WorkerSql.localPartitions;
import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lost node that comes back: w1 becomes unreachable, the spec marks it lost, apply fails over; then w1 answers
 * again with its stale catalog (parents, foreign partitions to its peers, subscriptions, its old partitions).
 * {@code wipe-state} refuses a live member (exit 1, nothing changed), lists in a dry run (nothing changed), then
 * removes shardman's objects from w1 and fences its old partitions (renamed {@code _stale}, rows kept): no
 * client of w1 reaches the cluster's tables by their old names, and a second run finds nothing; the machine then joins
 * again under a new name.
 */
@LocalClusterTest(workers = 3)
class WipeStateIT {
    private static final int ROWS = 900;
    private static final String TABLES = ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 6")
            + ClusterSpecFiles.COUNTRIES.replace("master: w1", "master: w2");

    @TempDir
    Path directory;

    @Test
    void aLostNodeThatCameBackIsWipedKeepingItsOldPartitionsFenced(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("r1.yaml"), 3, TABLES);
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        execute(cluster, 2, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS + ") AS g");
        Map<String, Long> oldPartitions = new TreeMap<>();
        for (String partition : localPartitions(cluster, 1)) {
            oldPartitions.put(partition, queryLong(cluster, 1, "SELECT count(*) FROM public." + partition));
        }
        assertFalse(oldPartitions.isEmpty());

        Path lost = directory.resolve("lost.yaml");
        Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
        setConnectionsAllowed(cluster, 1, false);
        CliRun failover = CliRun.of("apply", "-f", lost.toString(), "--auto-approve");
        setConnectionsAllowed(cluster, 1, true);
        assertEquals(0, failover.exitCode(), failover.out() + failover.err());
        assertTrue(queryLong(cluster, 1, "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shardman%'") > 0, "w1 came back as it was");

        CliRun refused = CliRun.of("wipe-state", "--node", "w2", "-f", lost.toString());
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("live member"), refused.err());
        assertEquals(ROWS, queryLong(cluster, 2, "SELECT count(*) FROM customers"), "w2 after a refused wipe-state");

        String before = catalog(cluster);
        CliRun dryRun = CliRun.of("wipe-state", "--node", "w1", "-f", lost.toString(), "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun.out() + dryRun.err());
        assertTrue(dryRun.out().contains("would be: dropped foreign server"), dryRun.out());
        assertEquals(before, catalog(cluster), "a dry run changed w1");

        CliRun wiped = CliRun.of("wipe-state", "--node", "w1", "-f", lost.toString(), "--json");
        assertEquals(0, wiped.exitCode(), wiped.out() + wiped.err());
        JsonNode report = new ObjectMapper().readTree(wiped.out());
        assertEquals("w1", report.get("node").asText());
        assertFalse(report.get("dry_run").asBoolean());
        assertTrue(report.get("actions").size() > 0, wiped.out());
        System.out.println(wiped.out());

        for (String sql : List.of("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'shardman%'",
                "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_subscription WHERE subname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_foreign_table",
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_proc WHERE proname LIKE 'shardman%'",
                "SELECT count(*) FROM pg_class WHERE relname = 'customers' OR relname ~ '^customers_\\d+$'")) {
            assertEquals(0L, queryLong(cluster, 1, sql), "left on w1: " + sql);
        }
        for (Map.Entry<String, Long> partition : oldPartitions.entrySet()) {
            assertEquals(partition.getValue(), queryLong(cluster, 1, "SELECT count(*) FROM public." + partition.getKey() + "_stale"),
                    partition.getKey() + " fenced with its rows");
        }
        CliRun again = CliRun.of("wipe-state", "--node", "w1", "-f", lost.toString());
        assertEquals(0, again.exitCode(), again.out() + again.err());
        assertTrue(again.out().contains("Nothing of shardman on w1"), again.out());
        assertEquals(ROWS, queryLong(cluster, 2, "SELECT count(*) FROM customers"), "the survivors lost no row");
        CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());

        // the machine back under a new name, in one edit (operations.md, "Fail over a node"): the lost w1 leaves before
        // w4 registers, and the partitions w4 receives take the names their fenced predecessors' keys and indexes had
        // (t_n_pkey, index_n), which wipe-state freed
        assertApplied(Files.writeString(directory.resolve("back.yaml"), Files.readString(spec).replace(nodeBlock(cluster, 1), "")
                .replace("tables:\n", nodeBlock(cluster, 1).replace("name: w1", "name: w4") + "tables:\n")));
        assertTrue(localPartitions(cluster, 1).size() > 0, "the machine holds partitions again");
        assertEquals(ROWS, queryLong(cluster, 1, "SELECT count(*) FROM customers"), "read through the machine back");
        for (Map.Entry<String, Long> partition : oldPartitions.entrySet()) {
            assertEquals(partition.getValue(), queryLong(cluster, 1, "SELECT count(*) FROM public." + partition.getKey() + "_stale"),
                    partition.getKey() + "_stale still holds its rows");
        }
    }

    /**
     * A drained node keeps its tables under their own names (partitions detached, the shared table's copy as a plain
     * table where its view was): put back in the spec, plan and apply refuse before any step, naming wipe-state; wipe-state
     * fences them all, the shared copy included, and the node joins again.
     */
    @Test
    void aDrainedNodeIsWipedAndJoinsAgain(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("d1.yaml"), 3, TABLES);
        assertApplied(spec);
        execute(cluster, 2, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS + ") AS g");
        execute(cluster, 2, "INSERT INTO countries VALUES ('FR', 'France'), ('DE', 'Germany')");
        assertApplied(Files.writeString(directory.resolve("drained.yaml"), Files.readString(spec).replace(nodeBlock(cluster, 1), "")));
        assertEquals(2L, queryLong(cluster, 1, "SELECT count(*) FROM public.countries"), "the drained node kept the copy as a table");

        for (CliRun refused : List.of(CliRun.of("plan", "-f", spec.toString()), CliRun.of("apply", "-f", spec.toString(), "--auto-approve"))) {
            assertEquals(1, refused.exitCode(), refused.out() + refused.err());
            assertTrue(refused.err().contains("w1 is registered as a new node, but its database already holds tables with the cluster's names (")
                    && refused.err().contains("public.countries") && refused.err().contains("wipe-state --node w1"), refused.err());
        }

        CliRun wiped = CliRun.of("wipe-state", "--node", "w1", "-f", spec.toString());
        assertEquals(0, wiped.exitCode(), wiped.out() + wiped.err());
        assertEquals(2L, queryLong(cluster, 1, "SELECT count(*) FROM public.countries_stale"), wiped.out());
        assertApplied(spec);
        assertEquals(ROWS, queryLong(cluster, 1, "SELECT count(*) FROM customers"));
        assertEquals(2L, queryLong(cluster, 1, "SELECT count(*) FROM countries"));
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());

        // drained and wiped a second time: the first fence holds the _stale names, the second takes _stale2
        assertApplied(directory.resolve("drained.yaml"));
        CliRun second = CliRun.of("wipe-state", "--node", "w1", "-f", spec.toString());
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertEquals(2L, queryLong(cluster, 1, "SELECT count(*) FROM public.countries_stale2"), second.out());
        assertEquals(2L, queryLong(cluster, 1, "SELECT count(*) FROM public.countries_stale"), second.out());
        assertApplied(spec);
    }

    private static void assertApplied(Path spec) {
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
    }

    /** Worker {@code number}'s entry in the nodes of {@link ClusterSpecFiles#write}. */
    private static String nodeBlock(TestCluster cluster, int number) {
        return "  - name: w" + number + "\n    super_conninfo: \"" + cluster.conninfo(cluster.worker(number)) + "\"\n    replication_group: rg1\n";
    }

    /** w1's relations, servers and subscriptions, as one text. */
    private static String catalog(TestCluster cluster) throws SQLException {
        return String.valueOf(strings(cluster, 1, "SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                + strings(cluster, 1, "SELECT string_agg(srvname, ',' ORDER BY srvname) FROM pg_foreign_server")
                + strings(cluster, 1, "SELECT string_agg(subname || subenabled::text, ',' ORDER BY subname) FROM pg_subscription");
    }
}
