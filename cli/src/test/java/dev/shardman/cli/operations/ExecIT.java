package dev.shardman.cli.operations;

import dev.shardman.cli.docs.JsonSchemas;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.query;
import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static dev.shardman.cli.testkit.WorkerSql.shardlordStrings;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shardman exec} on 2 real workers: a function created on every node; rows shown per node; with --2pc and one
 * node refusing (the function already exists there) nothing is applied anywhere and no prepared transaction is left;
 * statements touching shardman's own objects (the sharded table, its partitions) are refused and rolled back; several
 * statements are refused before anything runs; --nodes, --include-shardlord; a held cluster lock is exit 3; an
 * unreachable node is named. And a
 * --2pc exec killed after its COMMIT decision is finished by recover, on the nodes and in the shardlord's database.
 */
@LocalClusterTest(workers = 2)
class ExecIT {
    private static final String ITEMS = """
              - name: items
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                primary_key: [id]
                sharding_key: id
                partitions: 4
            """;
    private static final String PREPARED_EXEC = "SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'shardman\\_exec\\_%' AND database = current_database()";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ClusterLock's advisory lock key ("shardman" in ASCII): held here as an apply would hold it. */
    private static final long CLUSTER_LOCK_KEY = 0x73686172646D616EL;

    @TempDir
    Path directory;

    @Test
    void runsOnEveryNodeAndTwoPhaseAppliesNothingWhenOneNodeRefuses(TestCluster cluster) throws Exception {
        String spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, ITEMS).toString();
        CliRun applied = CliRun.of("apply", "-f", spec, "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());

        CliRun created = CliRun.of("exec", "-f", spec, "CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE sql AS 'SELECT i + 1'");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        assertEquals("w1: ok\nw2: ok\nRan on 2 targets: 2 ok.\n", created.out());
        assertEquals("2", query(cluster, 1, "SELECT add_one(1)"));
        assertEquals("2", query(cluster, 2, "SELECT add_one(1)"));
        CliRun rows = CliRun.of("exec", "-f", spec, "--json", "--include-shardlord", "SELECT add_one(41) AS answer, current_database() = '"
                + cluster.database() + "' AS ours");
        assertEquals(1, rows.exitCode(), "the shardlord has no add_one: " + rows.out() + rows.err());
        JsonSchemas.EXEC.assertValid(rows.out());
        JsonNode report = JSON.readTree(rows.out());
        assertEquals(List.of("w1", "w2", "shardlord"), report.get("targets").findValuesAsText("target"));
        assertEquals("[[\"42\",\"t\"]]", report.get("targets").get(0).get("rows").toString());
        assertEquals(1, report.get("targets").get(1).get("row_count").asInt());
        assertEquals("failed", report.get("targets").get(2).get("outcome").asText());
        assertTrue(report.get("targets").get(2).get("message").asText().contains("add_one"), rows.out());

        execute(cluster, 2, "CREATE FUNCTION twice(i int) RETURNS int LANGUAGE sql AS 'SELECT 2 * i'");
        CliRun refusedByOne = CliRun.of("exec", "-f", spec, "--2pc", "CREATE FUNCTION twice(i int) RETURNS int LANGUAGE sql AS 'SELECT i + i'");
        assertEquals(1, refusedByOne.exitCode(), refusedByOne.out() + refusedByOne.err());
        assertTrue(refusedByOne.out().startsWith("w1: rolled back: another target failed\nw2: failed: ERROR: function \"twice\" already exists"),
                refusedByOne.out());
        assertTrue(refusedByOne.out().endsWith("Two-phase commit on 2 targets: 1 rolled back, 1 failed; nothing was applied.\n"), refusedByOne.out());
        assertEquals("null", query(cluster, 1, "SELECT to_regproc('twice')"), "nothing applied on w1");
        assertEquals("4", query(cluster, 2, "SELECT twice(2)"), "w2 keeps its own function");
        assertEquals(List.of(), strings(cluster, 1, PREPARED_EXEC));
        assertEquals(List.of(), strings(cluster, 2, PREPARED_EXEC));
        assertEquals(List.of("failed"), shardlordStrings(cluster, "SELECT status FROM shardman.journal WHERE step_id = 'exec'"));
        CliRun status = CliRun.of("status", "-f", spec);
        assertTrue(java.util.regex.Pattern.compile("Last apply: (\\d+) of \\1 steps done, started").matcher(status.out()).find(),
                "an exec is not the last apply: " + status.out());

        CliRun refusedJson = CliRun.of("exec", "-f", spec, "--2pc", "--json", "CREATE FUNCTION twice(i int) RETURNS int LANGUAGE sql AS 'SELECT i'");
        JsonSchemas.EXEC.assertValid(refusedJson.out());
        assertEquals(List.of("rolled back", "failed"), JSON.readTree(refusedJson.out()).get("targets").findValuesAsText("outcome"));

        CliRun bothCommit = CliRun.of("exec", "-f", spec, "--2pc", "CREATE TYPE mood AS ENUM ('calm', 'busy')");
        assertEquals(0, bothCommit.exitCode(), bothCommit.out() + bothCommit.err());
        assertEquals("w1: committed\nw2: committed\nTwo-phase commit on 2 targets: committed everywhere.\n", bothCommit.out());
        assertEquals("calm", query(cluster, 2, "SELECT 'calm'::mood"));
        assertEquals(List.of(), shardlordStrings(cluster, "SELECT gid FROM shardman.decisions"), "decisions are forgotten once committed");

        refusesShardmanObjectsAndSeveralStatements(cluster, spec);
        narrowsToNodesAndNamesAnUnreachableOne(cluster, spec);
    }

    private static void refusesShardmanObjectsAndSeveralStatements(TestCluster cluster, String spec) throws Exception {
        CliRun alter = CliRun.of("exec", "-f", spec, "ALTER TABLE items ADD COLUMN note text");
        assertEquals(1, alter.exitCode(), alter.out() + alter.err());
        assertTrue(alter.out().startsWith("w1: refused: the statement touches shardman's own objects (altered relation items;"), alter.out());
        assertTrue(alter.out().contains("w2: refused: "), alter.out());
        assertEquals("0", query(cluster, 1, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note'"));

        CliRun partition = CliRun.of("exec", "-f", spec, "--nodes", "w1", "CREATE INDEX ON items_0 (id)");
        assertTrue(partition.out().startsWith("w1: refused: the statement touches shardman's own objects (created index items_0_id_idx; "
                + "created relation items_0_id_idx; locked relation items_0 (ShareLock);"), "w1 holds partition 0: " + partition.out());
        CliRun insert = CliRun.of("exec", "-f", spec, "INSERT INTO items SELECT generate_series(1, 40)");
        assertEquals(1, insert.exitCode(), insert.out() + insert.err());
        assertTrue(insert.out().startsWith("w1: refused: the statement touches shardman's own objects (writes public.items)"), insert.out());
        assertTrue(insert.out().contains("w2: refused: the statement touches shardman's own objects (writes public.items)"), insert.out());
        assertEquals("0", query(cluster, 1, "SELECT count(*) FROM items"), "rolled back everywhere");

        CliRun two = CliRun.of("exec", "-f", spec, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; DROP TABLE items");
        assertEquals(1, two.exitCode());
        assertTrue(two.err().contains("the SQL holds 2 statements; exec runs exactly one; nothing was run"), two.err());
        assertEquals("null", query(cluster, 1, "SELECT to_regproc('f')"));
    }

    private static void narrowsToNodesAndNamesAnUnreachableOne(TestCluster cluster, String spec) throws Exception {
        CliRun onlyW2 = CliRun.of("exec", "-f", spec, "--nodes", "w2", "CREATE VIEW item_count AS SELECT count(*) FROM items");
        assertEquals("w2: ok\nRan on 1 target: 1 ok.\n", onlyW2.out(), onlyW2.err());
        assertEquals("null", query(cluster, 1, "SELECT to_regclass('item_count')"));
        CliRun unknown = CliRun.of("exec", "-f", spec, "--nodes", "w9", "SELECT 1");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("--nodes names w9, not a live node of the cluster"), unknown.err());

        try (Connection holder = cluster.connect(cluster.shardlord()); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + CLUSTER_LOCK_KEY + ")");
            CliRun locked = CliRun.of("exec", "-f", spec, "CREATE FUNCTION blocked() RETURNS int LANGUAGE sql AS 'SELECT 1'");
            assertEquals(3, locked.exitCode(), locked.out() + locked.err());
            assertTrue(locked.err().contains("the cluster lock is held by"), locked.err());
        }
        assertEquals("null", query(cluster, 1, "SELECT to_regproc('blocked')"));

        setConnectionsAllowed(cluster, 2, false);
        try {
            CliRun unreachable = CliRun.of("exec", "-f", spec, "--2pc", "CREATE FUNCTION seven() RETURNS int LANGUAGE sql AS 'SELECT 7'");
            assertEquals(1, unreachable.exitCode(), unreachable.out() + unreachable.err());
            assertTrue(unreachable.out().contains("w1: rolled back: another target failed\nw2: unreachable: cannot connect to node w2 ("),
                    unreachable.out());
            assertTrue(unreachable.out().contains("(host=127.0.0.1 port=" + cluster.worker(2).port()), "the node's address: " + unreachable.out());
            assertEquals("null", query(cluster, 1, "SELECT to_regproc('seven')"));
        } finally {
            setConnectionsAllowed(cluster, 2, true);
        }
    }

    @Test
    void recoverFinishesATwoPhaseExecKilledAfterItsCommitDecision(TestCluster cluster) throws Exception {
        String spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, "  []\n").toString();
        CliRun applied = CliRun.of("apply", "-f", spec, "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());

        KilledApply.running(directory, "exec@after-decision", "exec", "-f", spec, "--2pc", "--include-shardlord",
                "CREATE FUNCTION survivor() RETURNS int LANGUAGE sql AS 'SELECT 7'");
        assertEquals(1, strings(cluster, 1, PREPARED_EXEC).size(), "prepared, not committed");
        assertEquals(1, shardlordStrings(cluster, PREPARED_EXEC).size());
        assertEquals("null", query(cluster, 2, "SELECT to_regproc('survivor')"));

        CliRun recovered = CliRun.of("recover", "-f", spec);
        assertEquals(0, recovered.exitCode(), recovered.out() + recovered.err());
        assertTrue(recovered.out().contains("shardlord: committed prepared transaction shardman_exec_"), recovered.out());
        for (int worker = 1; worker <= 2; worker++) {
            assertEquals("7", query(cluster, worker, "SELECT survivor()"));
            assertEquals(List.of(), strings(cluster, worker, PREPARED_EXEC));
        }
        assertEquals(List.of("7"), shardlordStrings(cluster, "SELECT survivor()"));
    }
}
