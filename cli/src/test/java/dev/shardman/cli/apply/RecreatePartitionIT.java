package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lost node whose partitions had no replica: apply refuses without {@code --allow-data-loss} and changes
 * nothing (same serial, same partitions on the survivors); with it, each of the lost node's partitions is
 * re-created EMPTY on a survivor, every node routes to it, new rows land in it, and apply says loudly which
 * partitions lost their rows. The rows of the other partitions are all there.
 */
@LocalClusterTest(workers = 3)
class RecreatePartitionIT {
    private static final int ROWS = 1_200;
    private static final int WORKERS = 3;

    @TempDir
    Path directory;

    @Test
    void aLostNodesPartitionsWithoutReplicaAreRecreatedEmptyOnlyWhenDataLossIsAllowed(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("r0.yaml"), WORKERS,
                ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0"));
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        execute(cluster, 2, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, " + ROWS + ") AS g");
        List<String> lostPartitions = localPartitions(cluster, 1);
        assertFalse(lostPartitions.isEmpty());
        long lostRows = 0;
        for (String partition : lostPartitions) {
            lostRows += queryLong(cluster, 1, "SELECT count(*) FROM public." + partition);
        }
        assertTrue(lostRows > 0);

        Path lost = directory.resolve("lost.yaml");
        Files.writeString(lost, Files.readString(spec).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
        setConnectionsAllowed(cluster, 1, false);
        try {
            long serial = serial(cluster);
            List<String> onW2 = localPartitions(cluster, 2);
            List<String> onW3 = localPartitions(cluster, 3);
            CliRun refused = CliRun.of("apply", "-f", lost.toString(), "--auto-approve");
            assertEquals(1, refused.exitCode(), refused.out() + refused.err());
            assertTrue((refused.out() + refused.err()).contains("--allow-data-loss"), refused.out() + refused.err());
            assertEquals(serial, serial(cluster), "a refused apply changed the metadata");
            assertEquals(onW2, localPartitions(cluster, 2));
            assertEquals(onW3, localPartitions(cluster, 3));

            CliRun recreated = CliRun.of("apply", "-f", lost.toString(), "--auto-approve", "--allow-data-loss");
            assertEquals(0, recreated.exitCode(), recreated.out() + recreated.err());
            for (String partition : lostPartitions) {
                assertTrue(recreated.out().lines().anyMatch(line -> line.contains("WARNING") && line.contains(partition + " ")
                        && line.contains("is lost")), "no warning names " + partition + ":\n" + recreated.out());
                assertTrue(localPartitions(cluster, 2).contains(partition) || localPartitions(cluster, 3).contains(partition),
                        partition + " is attached on no survivor");
            }
            for (int worker = 2; worker <= WORKERS; worker++) {
                assertEquals(ROWS - lostRows, queryLong(cluster, worker, "SELECT count(*) FROM customers"), "rows through w" + worker);
            }
            execute(cluster, 3, "INSERT INTO customers (id, name) SELECT g, 'new ' || g FROM generate_series(" + (ROWS + 1) + ", "
                    + (2 * ROWS) + ") AS g");
            assertEquals(2L * ROWS - lostRows, queryLong(cluster, 2, "SELECT count(*) FROM customers"));
            for (String partition : lostPartitions) {
                assertTrue(queryLong(cluster, 2, "SELECT count(*) FROM public.customers WHERE tableoid::regclass::text IN ('"
                        + partition + "', '" + partition + "_fdw')") > 0, "no new row landed in " + partition);
            }
            CliRun drift = CliRun.of("drift-check", "-f", lost.toString());
            assertEquals(0, drift.exitCode(), drift.out() + drift.err());
            CliRun again = CliRun.of("plan", "-f", lost.toString());
            assertTrue(again.out().contains("No changes"), again.out() + again.err());
        } finally {
            setConnectionsAllowed(cluster, 1, true);
        }
    }

    private static long serial(TestCluster cluster) throws SQLException {
        try (var connection = cluster.connect(cluster.shardlord()); var statement = connection.createStatement();
             var row = statement.executeQuery("SELECT serial FROM shardman.cluster")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static List<String> localPartitions(TestCluster cluster, int worker) throws SQLException {
        return strings(cluster, worker, "SELECT c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid"
                + " WHERE i.inhparent = 'public.customers'::regclass AND c.relkind = 'r' ORDER BY 1");
    }
}
