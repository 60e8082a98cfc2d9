package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec values the server would misread or refuse never get past validate or plan: SQL smuggled in a
 * type or a default is refused by validate, plan and apply with file:line:column and reaches no node
 * (a canary table it would drop keeps its row, no worker's log mentions it, no metadata is written); a
 * type or default the nodes refuse, or a spelling the catalog prints back differently, is refused by
 * plan and apply; a spec using many type spellings the catalog keeps applies and then plans empty.
 */
@LocalClusterTest(workers = 2)
class SpecSafetyIT {
    private static final int WORKERS = 2;
    private static final String CANARY = "acct_canary";

    @TempDir
    Path directory;

    @Test
    void sqlInTypesAndDefaultsIsRefusedAndReachesNoNode(TestCluster cluster) throws Exception {
        plantCanaries(cluster);
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("injection.yaml"), WORKERS, """
                  - name: acct_injection
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: x, type: "int; drop table acct_canary"}
                      - {name: y, type: int, default: "0); drop table acct_canary; --"}
                    primary_key: [id]
                    sharding_key: id
                """);
        for (String command : new String[] {"validate", "plan", "apply"}) {
            CliRun run = command.equals("apply") ? CliRun.of(command, "-f", spec.toString(), "--auto-approve") : CliRun.of(command, "-f", spec.toString());
            assertEquals(1, run.exitCode(), command + ": " + run.out() + run.err());
            String output = run.out() + run.err();
            assertTrue(output.contains(spec + ":15:25: table \"acct_injection\": column \"x\": type \"int; drop table acct_canary\" is not a type name"),
                    command + ": " + output);
            assertTrue(output.contains(spec + ":16:39: table \"acct_injection\": column \"y\": default is not exactly one SQL expression"),
                    command + ": " + output);
        }
        assertNothingReachedTheNodes(cluster, "acct_injection");
    }

    @Test
    void valuesTheNodesRefuseOrSpellDifferentlyAreRefusedByPlan(TestCluster cluster) throws Exception {
        plantCanaries(cluster);
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("refused.yaml"), WORKERS, """
                  - name: acct_refused
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: a, type: no_such_type}
                      - {name: b, type: int, default: "no_such_function()"}
                      - {name: c, type: "varchar(0)"}
                      - {name: d, type: int, default: "'not a number'"}
                      - {name: e, type: pg_catalog.int8}
                    primary_key: [id]
                    sharding_key: id
                  - name: acct_elsewhere
                    schema: "No Such.Schema"
                    type: sharded
                    columns: [{name: id, type: bigint, nullable: false}]
                    primary_key: [id]
                    sharding_key: id
                """);
        CliRun validate = CliRun.of("validate", "-f", spec.toString());
        assertEquals(0, validate.exitCode(), validate.out() + validate.err());
        for (String command : new String[] {"plan", "apply"}) {
            CliRun run = command.equals("apply") ? CliRun.of(command, "-f", spec.toString(), "--auto-approve") : CliRun.of(command, "-f", spec.toString());
            assertEquals(1, run.exitCode(), command + ": " + run.out() + run.err());
            String output = run.out() + run.err();
            assertTrue(output.contains(spec + ":15:25: table \"acct_refused\": column \"a\": node w1 refuses type \"no_such_type\": type \"no_such_type\" does not exist"), output);
            assertTrue(output.contains(spec + ":16:39: table \"acct_refused\": column \"b\": node w1 refuses the default \"no_such_function()\""), output);
            assertTrue(output.contains(spec + ":17:25: table \"acct_refused\": column \"c\": node w1 refuses type \"varchar(0)\""), output);
            assertTrue(output.contains(spec + ":18:39: table \"acct_refused\": column \"d\": node w1 refuses the default \"'not a number'\""), output);
            assertTrue(output.contains(spec + ":19:25: table \"acct_refused\": column \"e\": the catalog spells type \"pg_catalog.int8\" as \"bigint\""), output);
            assertTrue(output.contains("write type: bigint"), output);
            assertTrue(output.contains(spec + ":23:13: table \"acct_elsewhere\": schema \"No Such.Schema\" does not exist on node w"), output);
            assertFalse(output.contains("Apply complete"), output);
        }
        assertNothingReachedTheNodes(cluster, "acct_refused");
    }

    @Test
    void typesTheCatalogKeepsApplyAndConverge(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("types.yaml"), WORKERS, """
                  - name: typed
                    type: sharded
                    columns:
                      - {name: id, type: uuid, nullable: false, default: "gen_random_uuid()"}
                      - {name: a, type: "varchar(20)", default: "'x'"}
                      - {name: b, type: int4, default: "42"}
                      - {name: c, type: "numeric(10, 2)"}
                      - {name: d, type: "timestamp(3) with time zone", default: "now()"}
                      - {name: e, type: "text[]", default: "'{}'"}
                      - {name: f, type: double precision}
                      - {name: g, type: "interval day to second(3)"}
                      - {name: h, type: "character varying"}
                      - {name: i, type: "bit varying(8)"}
                      - {name: j, type: text, default: "'it''s; fine'"}
                    primary_key: [id]
                    sharding_key: id
                    partitions: 4
                """);
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        execute(cluster, 1, "INSERT INTO typed (c) SELECT g FROM generate_series(1, 100) AS g");
        assertEquals(100L, queryLong(cluster, 2, "SELECT count(*) FROM typed WHERE j = 'it''s; fine' AND b = 42"));
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.out() + plan.err());
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }

    @Test
    void defaultsTheCatalogReprintsConvergeOrAreRefusedWithItsSpelling(TestCluster cluster) throws Exception {
        plantCanaries(cluster);
        Path refused = ClusterSpecFiles.write(cluster, directory.resolve("respelled.yaml"), WORKERS, """
                  - name: respelled
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: a, type: int, default: "-1"}
                      - {name: b, type: int, default: "CAST('5' AS int)"}
                      - {name: c, type: "pg_catalog.int4", default: "7"}
                    primary_key: [id]
                    sharding_key: id
                """);
        CliRun plan = CliRun.of("plan", "-f", refused.toString());
        assertEquals(1, plan.exitCode(), plan.out() + plan.err());
        String output = plan.out() + plan.err();
        assertTrue(output.contains(refused + ":15:39: table \"respelled\": column \"a\": the catalog stores default \"-1\" as \"'-1'::integer\""
                + " (node w1), so plan would never find the column in sync; write default: \"'-1'::integer\""), output);
        assertTrue(output.contains(refused + ":16:39: table \"respelled\": column \"b\": the catalog stores default \"CAST('5' AS int)\" as \"5\""), output);
        // every value here is accepted: spellings are read for all columns together, and still named one by one
        assertTrue(output.contains(refused + ":17:25: table \"respelled\": column \"c\": the catalog spells type \"pg_catalog.int4\" as \"integer\""), output);
        assertNothingReachedTheNodes(cluster, "respelled");

        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("defaults.yaml"), WORKERS, """
                  - name: defaulted
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: a, type: int, default: "1+1"}
                      - {name: b, type: int, default: "2*(3+4)"}
                      - {name: c, type: timestamptz, default: "now()"}
                      - {name: d, type: timestamptz, default: "CURRENT_TIMESTAMP"}
                      - {name: e, type: date, default: "'2020-01-01'::date"}
                      - {name: f, type: text, default: "'it''s ' || upper('x')"}
                      - {name: g, type: int, default: "'-1'::integer"}
                    primary_key: [id]
                    sharding_key: id
                    partitions: 4
                """);
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        execute(cluster, 1, "INSERT INTO defaulted (id) SELECT g FROM generate_series(1, 20) AS g");
        assertEquals(20L, queryLong(cluster, 2, "SELECT count(*) FROM defaulted WHERE a = 2 AND b = 14 AND c <= d AND e = DATE '2020-01-01'"
                + " AND f = 'it''s X' AND g = -1"));
        CliRun replan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(0, replan.exitCode(), replan.out() + replan.err());
        assertTrue(replan.out().contains("No changes"), replan.out());
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }

    /** A table the smuggled statements would drop, with one row, on every worker. */
    private static void plantCanaries(TestCluster cluster) throws Exception {
        for (int worker = 1; worker <= WORKERS; worker++) {
            execute(cluster, worker, "CREATE TABLE " + CANARY + " (id int); INSERT INTO " + CANARY + " VALUES (1)");
        }
    }

    private static void assertNothingReachedTheNodes(TestCluster cluster, String table) throws Exception {
        for (int worker = 1; worker <= WORKERS; worker++) {
            assertEquals(1L, queryLong(cluster, worker, "SELECT count(*) FROM " + CANARY), "the canary on w" + worker);
            assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM pg_class WHERE relname LIKE '" + table + "%'"), "w" + worker);
            assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'shardman%'"), "w" + worker);
            String log = Files.readString(cluster.serverLog(cluster.worker(worker)), StandardCharsets.UTF_8);
            assertFalse(log.contains("drop table " + CANARY), "w" + worker + "'s log shows the smuggled statement");
        }
        try (Connection shardlord = cluster.connect(cluster.shardlord()); Statement statement = shardlord.createStatement();
             ResultSet row = statement.executeQuery("SELECT to_regnamespace('shardman') IS NULL")) {
            row.next();
            assertTrue(row.getBoolean(1), "apply wrote metadata to the shardlord");
        }
    }
}
