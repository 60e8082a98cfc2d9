package dev.shardman.cli.faults;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * apply killed with SIGKILL (the test-only SHARDMAN_FAULT hook, in a child JVM) before a step, after
 * its node work (prepared transactions, no decision) and after its commit: every rerun recovers and
 * goes on, and the last one converges with nothing left prepared and no drift.
 */
@LocalClusterTest(workers = 3)
class FaultInjectionIT {
    private static final String MORE_TABLES = """
              - name: events
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: kind, type: text}
                primary_key: [id]
                sharding_key: id
                partitions: 6
              - name: items
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                primary_key: [id]
                sharding_key: id
                partitions: 6
              - name: payments
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: amount, type: numeric}
                primary_key: [id]
                sharding_key: id
                partitions: 6
            """;

    @TempDir
    Path directory;

    @Test
    void applyKilledAtEachPointResumesAndConverges(TestCluster cluster) throws Exception {
        String tables = (ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS).replace("redundancy: 1", "redundancy: 0") + MORE_TABLES;
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 3, tables);
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--json");
        assertTrue(plan.out().split("\"id\"").length - 1 >= 10, "a plan of at least 10 steps: " + plan.out());

        assertTrue(killedAt(spec, "register-node:w2@after-node-work").isEmpty());
        assertTrue(preparedTransactions(cluster) > 0, "the killed step left prepared transactions without a decision");
        String second = killedAt(spec, "create-sharded-table:customers@before");
        assertTrue(second.contains("w2: rolled back prepared transaction shardman_"), "w2 is not registered yet, and swept: " + second);
        killedAt(spec, "create-sharded-table:events@after-node-work");
        assertTrue(preparedTransactions(cluster) > 0);
        String fourth = killedAt(spec, "create-sharded-table:items@after-commit");
        assertTrue(fourth.contains("rolled back prepared transaction shardman_"), fourth);

        CliRun finish = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, finish.exitCode(), finish.out() + finish.err());
        assertTrue(!finish.out().contains("table public.items will be created"), "items committed before the kill: " + finish.out());
        assertEquals(0, preparedTransactions(cluster));
        assertEquals(0, CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode").exitCode());
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        try (Connection w1 = cluster.connect(cluster.worker(1)); Statement statement = w1.createStatement()) {
            statement.execute("INSERT INTO items SELECT generate_series(1, 600)");
        }
        try (Connection w3 = cluster.connect(cluster.worker(3)); Statement statement = w3.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM items")) {
            row.next();
            assertEquals(600, row.getLong(1));
        }
    }

    /** Runs apply in a child JVM with the fault; asserts it died by SIGKILL; returns what the recovery at its start printed. */
    private String killedAt(Path spec, String fault) throws IOException, InterruptedException {
        String output = KilledApply.at(directory, spec, fault);
        return output.contains("Recovery first") ? output.substring(output.indexOf("Recovery first"), output.indexOf("\n\n", output.indexOf("Recovery first"))) : "";
    }

    private static long preparedTransactions(TestCluster cluster) throws SQLException {
        long total = 0;
        for (int worker = 1; worker <= 3; worker++) {
            try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'shardman\\_%' AND database = current_database()")) {
                row.next();
                total += row.getLong(1);
            }
        }
        return total;
    }
}
