package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plan-time pre-flight on real servers: w1 restarted with max_replication_slots = 1 cannot be the source of
 * the replicas of a redundancy-1 table; plan and apply refuse with the node, the setting, what the plan needs,
 * what is set and the value to use, and apply changes nothing. An unbounded max_slot_wal_keep_size on a source
 * is a plan warning. The settings are restored (and w1 restarted) afterwards. A plan that moves partitions
 * checks each destination's free disk, since shardman runs on the test cluster's host (DestinationDiskIT covers the
 * refusal; elsewhere plan warns with the bytes instead).
 */
@LocalClusterTest(workers = 3)
class PreflightIT {
    private static final int WORKERS = 3;
    private static final Pattern SLOTS_REFUSAL = Pattern.compile(
            "w1: max_replication_slots is 1, the plan needs (\\d+) \\([^)]*\\): run ALTER SYSTEM SET max_replication_slots = (\\d+); then restart the server");

    @TempDir
    Path directory;

    @Test
    void tooFewSlotsAreRefusedWithTheNumbersAndAnUnboundedSlotWalIsAWarning(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("r1.yaml"), WORKERS, ClusterSpecFiles.CUSTOMERS);
        try {
            execute(cluster, 1, "ALTER SYSTEM SET max_replication_slots = 1");
            KilledWorker.kill(cluster, 1);
            KilledWorker.restart(cluster, WORKERS);
            assertEquals("1", strings(cluster, 1, "SHOW max_replication_slots").get(0));

            CliRun planned = CliRun.of("plan", "-f", spec.toString());
            assertEquals(1, planned.exitCode(), planned.out() + planned.err());
            Matcher refusal = SLOTS_REFUSAL.matcher(planned.err());
            assertTrue(refusal.find(), planned.err());
            // w1 sends to w2 and w3: two channels, each with table sync slots while their copies run
            int needed = Integer.parseInt(refusal.group(1));
            assertTrue(needed >= 2, planned.err());
            assertEquals(Math.max(16, 2 * needed), Integer.parseInt(refusal.group(2)), planned.err());
            assertTrue(!planned.err().contains("w2: max_replication_slots") && !planned.err().contains("w3: max_replication_slots"), planned.err());

            CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
            assertEquals(1, applied.exitCode(), applied.out() + applied.err());
            assertTrue(SLOTS_REFUSAL.matcher(applied.err()).find(), applied.err());
            for (int worker = 1; worker <= WORKERS; worker++) {
                assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM pg_class WHERE relname LIKE 'customers%'"), "w" + worker);
            }
        } finally {
            execute(cluster, 1, "ALTER SYSTEM RESET max_replication_slots");
            KilledWorker.kill(cluster, 1);
            KilledWorker.restart(cluster, WORKERS);
        }
        assertEquals("64", strings(cluster, 1, "SHOW max_replication_slots").get(0));

        try {
            execute(cluster, 2, "ALTER SYSTEM SET max_slot_wal_keep_size = -1");
            execute(cluster, 2, "SELECT pg_reload_conf()");
            CliRun warned = CliRun.of("plan", "-f", spec.toString());
            assertEquals(0, warned.exitCode(), warned.out() + warned.err());
            assertTrue(warned.out().contains("Warning: w2: max_slot_wal_keep_size is -1 (unbounded)"), warned.out());
            assertTrue(!warned.out().contains("w1: max_slot_wal_keep_size"), warned.out());
        } finally {
            execute(cluster, 2, "ALTER SYSTEM RESET max_slot_wal_keep_size");
            execute(cluster, 2, "SELECT pg_reload_conf()");
        }

        // a node down: plan still plans (exit codes unchanged) but says which node it could not check and what it skipped
        KilledWorker.kill(cluster, 3);
        try {
            CliRun down = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
            assertEquals(2, down.exitCode(), down.out() + down.err());
            assertTrue(down.out().contains("Warning: node w3 is unreachable: plan could not check its server settings, disk room, column types"
                    + " and defaults, grant roles nor the work an interrupted run left on it, and an apply fails at the first step that"
                    + " needs it (start it, or mark it lost in the spec); cannot connect to node w3 ("), down.out());
            assertFalse(down.out().contains("node w1 is unreachable") || down.out().contains("node w2 is unreachable"), down.out());
            CliRun json = CliRun.of("plan", "-f", spec.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, json.exitCode(), json.out() + json.err());
            assertTrue(json.out().contains("\"warnings\"") && json.out().contains("node w3 is unreachable"), json.out());
        } finally {
            KilledWorker.restart(cluster, WORKERS);
        }
    }

    @Test
    void aPlanWithMovesChecksTheDestinationsFreeDiskWhereShardmanRunsOnItsHost(TestCluster cluster) throws Exception {
        String items = ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0");
        Path two = ClusterSpecFiles.write(cluster, directory.resolve("two.yaml"), 2, items);
        CliRun created = CliRun.of("apply", "-f", two.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, 5000) AS g");

        Path three = ClusterSpecFiles.write(cluster, directory.resolve("three.yaml"), WORKERS, items);
        CliRun planned = CliRun.of("plan", "-f", three.toString());
        assertEquals(0, planned.exitCode(), planned.out() + planned.err());
        // the test cluster runs on this host and its data directories are readable here: w3's disk was checked, not warned about
        assertFalse(planned.out().contains("free disk space not checked"), planned.out());
    }
}
