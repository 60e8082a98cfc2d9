package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * settings.sync_replication is recorded in the metadata and changed by a plan step: toggling it shows
 * {@code ~ settings will be updated}, apply rewrites synchronous_standby_names, the next plan is empty; and a
 * plan that says "No changes" changes nothing on any node (catalog snapshots before and after an apply of the
 * unchanged spec are equal, object oids and postgresql.auto.conf included).
 */
@LocalClusterTest(workers = 3)
class SettingsIT {
    private static final int WORKERS = 3;
    /** What shardman creates or sets on a node; oids show an object dropped and created again. */
    private static final String CATALOG_SNAPSHOT = """
            SELECT x FROM (
                SELECT 'class ' || c.oid || ' ' || c.oid::regclass::text || ' ' || c.relkind::text FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                UNION ALL SELECT 'subscription ' || oid || ' ' || subname || ' ' || subenabled || ' ' || array_to_string(subpublications, ',')
                    FROM pg_subscription
                UNION ALL SELECT 'publication table ' || pubname || ' ' || schemaname || '.' || tablename FROM pg_publication_tables
                UNION ALL SELECT 'slot ' || slot_name FROM pg_replication_slots
                UNION ALL SELECT 'server ' || oid || ' ' || srvname || ' ' || array_to_string(srvoptions, ',') FROM pg_foreign_server
                UNION ALL SELECT 'trigger ' || oid || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
                UNION ALL SELECT 'auto.conf ' || name || '=' || coalesce(setting, '') FROM pg_file_settings
                    WHERE sourcefile LIKE '%postgresql.auto.conf'
                UNION ALL SELECT 'setting synchronous_standby_names=' || current_setting('synchronous_standby_names')
            ) AS catalog(x) ORDER BY 1""";

    /** A table without replicas beside customers (redundancy 1). */
    private static final String EVENTS = """
              - name: events
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
    void syncReplicationIsAPlannedStepAndNoChangesChangesNoNode(TestCluster cluster) throws Exception {
        Path asynchronous = ClusterSpecFiles.write(cluster, directory.resolve("async.yaml"), WORKERS, ClusterSpecFiles.CUSTOMERS + EVENTS);
        Path synchronous = directory.resolve("sync.yaml");
        ClusterSpecFiles.withSettings(asynchronous, synchronous, "  sync_replication: true\n");
        CliRun created = CliRun.of("apply", "-f", asynchronous.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        assertUnchangedApplyChangesNoNode(cluster, asynchronous);

        CliRun planOn = CliRun.of("plan", "-f", synchronous.toString(), "--detailed-exitcode");
        assertEquals(2, planOn.exitCode(), planOn.out() + planOn.err());
        assertTrue(planOn.out().contains("~ settings will be updated: sync_replication false → true"), planOn.out());
        assertTrue(planOn.out().contains("0 to create, 1 to change, 0 to move, 0 to destroy"), planOn.out());
        // events has no replicas, yet its commits will wait for the standbys that customers' replicas need
        assertTrue(planOn.out().contains("Warning: sync_replication makes every commit on a node wait for its replica holders, also the commits"
                + " that write only tables without replicas (public.events)"), planOn.out());
        CliRun on = CliRun.of("apply", "-f", synchronous.toString(), "--auto-approve");
        assertEquals(0, on.exitCode(), on.out() + on.err());
        for (int worker = 1; worker <= WORKERS; worker++) {
            String names = strings(cluster, worker, "SHOW synchronous_standby_names").get(0);
            assertTrue(names.matches("ANY 2 \\(\"shardman_sub_\\d+_\\d+\", \"shardman_sub_\\d+_\\d+\"\\)"), "w" + worker + ": " + names);
        }
        assertEquals(0, CliRun.of("plan", "-f", synchronous.toString(), "--detailed-exitcode").exitCode());
        assertEquals(0, CliRun.of("drift-check", "-f", synchronous.toString()).exitCode());
        assertUnchangedApplyChangesNoNode(cluster, synchronous);

        // drift-check reads sync_replication from the metadata: the spec switched back but not applied is a
        // pending change, not drift of the (still synchronous) nodes
        CliRun pending = CliRun.of("drift-check", "-f", asynchronous.toString());
        assertTrue(pending.out().contains("settings will be updated: sync_replication true → false"), pending.out());
        assertTrue(!pending.out().contains("synchronous_standby_names"), pending.out());
        CliRun off = CliRun.of("apply", "-f", asynchronous.toString(), "--auto-approve");
        assertEquals(0, off.exitCode(), off.out() + off.err());
        assertTrue(off.out().contains("settings will be updated: sync_replication true → false"), off.out());
        for (int worker = 1; worker <= WORKERS; worker++) {
            assertEquals("", strings(cluster, worker, "SHOW synchronous_standby_names").get(0), "w" + worker);
        }
        assertEquals(0, CliRun.of("plan", "-f", asynchronous.toString(), "--detailed-exitcode").exitCode());
    }

    private static void assertUnchangedApplyChangesNoNode(TestCluster cluster, Path spec) throws Exception {
        List<List<String>> before = snapshots(cluster);
        CliRun again = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, again.exitCode(), again.out() + again.err());
        assertTrue(again.out().contains("No changes"), again.out());
        assertEquals(before, snapshots(cluster), "an apply that planned No changes changed a node");
    }

    private static List<List<String>> snapshots(TestCluster cluster) throws Exception {
        List<List<String>> snapshots = new ArrayList<>();
        for (int worker = 1; worker <= WORKERS; worker++) {
            snapshots.add(strings(cluster, worker, CATALOG_SNAPSHOT));
        }
        return snapshots;
    }
}
