package dev.shardman.cli.apply;

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
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.shardman.cli.testkit.WorkerSql.query;
import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.ScramLogins.connectAs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes with a non-superuser {@code conninfo} (a role the servers authenticate by password, as in
 * production) and tables whose {@code grants} come from the spec: the superuser and an application
 * role with no right but those grants write the shared table through every node (the master and a
 * copy) and the sharded table; the grants exist on every node; a revoked one is drift that recover
 * repairs; a changed one is a planned {@code ~} step; a role missing on a node is refused by plan.
 */
@LocalClusterTest(workers = 2)
class SharedTableGrantsIT {
    private static final String PASSWORD = "Grants-pw-0815";
    private static final String APP_GRANTS = "    grants: {app_user: [select, insert, update, delete]}\n";

    @TempDir
    Path directory;

    @Test
    void superuserAndApplicationWriteThroughEveryNodeWithGrantsFromTheSpec(TestCluster cluster) throws Exception {
        for (int worker = 1; worker <= 2; worker++) {
            execute(cluster, worker, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shardman_fdw') THEN "
                    + "CREATE ROLE shardman_fdw LOGIN PASSWORD '" + PASSWORD + "'; END IF; "
                    + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN CREATE ROLE app_user LOGIN; END IF; END $$");
        }
        try (ScramLogins ignored = ScramLogins.demand(cluster, 2, List.of("shardman_fdw"))) {
            Path spec = writeSpec(cluster, APP_GRANTS, APP_GRANTS);
            child(0, "apply", "-f", spec.toString(), "--auto-approve");

            for (int worker = 1; worker <= 2; worker++) {
                execute(cluster, worker, "INSERT INTO countries (code, name) VALUES ('S" + worker + "', 'superuser via w" + worker + "')");
                try (Connection app = connectAs(cluster, worker, "app_user"); Statement statement = app.createStatement()) {
                    statement.execute("INSERT INTO countries (code, name) VALUES ('A" + worker + "', 'app via w" + worker + "'), ('D" + worker + "', 'gone')");
                    // a copy sees a write through it once replication brought it back from the master
                    awaitQuery(cluster, worker, "SELECT count(*)::text FROM countries WHERE code IN ('A" + worker + "', 'D" + worker + "')", "2");
                    assertEquals(1, statement.executeUpdate("UPDATE countries SET name = 'app updated via w" + worker + "' WHERE code = 'A" + worker + "'"));
                    assertEquals(1, statement.executeUpdate("DELETE FROM countries WHERE code = 'D" + worker + "'"));
                    statement.execute("INSERT INTO customers (id, name) SELECT n, 'via w" + worker + "' FROM generate_series(" + (worker * 100)
                            + ", " + (worker * 100 + 49) + ") AS n");
                }
            }
            for (int worker = 1; worker <= 2; worker++) {
                awaitQuery(cluster, worker, "SELECT string_agg(code || '=' || name, ',' ORDER BY code) FROM countries",
                        "A1=app updated via w1,A2=app updated via w2,S1=superuser via w1,S2=superuser via w2");
                assertEquals("100", query(cluster, worker, "SELECT count(*)::text FROM customers"));
                assertEquals("true", query(cluster, worker, "SELECT (has_table_privilege('app_user', 'public.customers', 'SELECT,INSERT,UPDATE,DELETE')"
                        + " AND has_table_privilege('app_user', 'public.countries', 'SELECT,INSERT,UPDATE,DELETE'))::text"));
            }
            try (Connection app = connectAs(cluster, 2, "app_user"); Statement statement = app.createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FROM countries")) {
                row.next();
                assertEquals(4, row.getLong(1), "the application reads the local copy");
            }

            execute(cluster, 2, "REVOKE INSERT ON countries FROM app_user");
            String drift = child(2, "drift-check", "-f", spec.toString());
            assertTrue(drift.contains("role app_user lacks INSERT on public.countries"), drift);
            child(0, "recover", "-f", spec.toString());
            child(0, "drift-check", "-f", spec.toString());
            try (Connection app = connectAs(cluster, 2, "app_user"); Statement statement = app.createStatement()) {
                statement.execute("INSERT INTO countries (code, name) VALUES ('R2', 'after recover')");
            }

            Path narrowed = writeSpec(cluster, "    grants: {app_user: [select, insert, update]}\n", APP_GRANTS);
            String plan = child(2, "plan", "-f", narrowed.toString(), "--detailed-exitcode");
            assertTrue(plan.contains("~ grants on customers will change: app_user -DELETE on w1, w2"), plan);
            child(0, "apply", "-f", narrowed.toString(), "--auto-approve");
            for (int worker = 1; worker <= 2; worker++) {
                assertEquals("false", query(cluster, worker, "SELECT has_table_privilege('app_user', 'public.customers', 'DELETE')::text"));
                assertEquals("true", query(cluster, worker, "SELECT has_table_privilege('app_user', 'public.customers', 'UPDATE')::text"));
            }
            child(0, "drift-check", "-f", narrowed.toString());

            Path withColumn = Files.writeString(directory.resolve("with-column.yaml"), Files.readString(narrowed)
                    .replace("      - {name: name, type: text, nullable: false}\n    primary_key: [code]",
                            "      - {name: name, type: text, nullable: false}\n      - {name: population, type: bigint}\n    primary_key: [code]"));
            String columnPlan = child(2, "plan", "-f", withColumn.toString(), "--detailed-exitcode");
            assertTrue(columnPlan.contains("population"), columnPlan);
            child(0, "apply", "-f", withColumn.toString(), "--auto-approve");
            try (Connection app = connectAs(cluster, 2, "app_user"); Statement statement = app.createStatement()) {
                statement.execute("INSERT INTO countries (code, name, population) VALUES ('P2', 'with population', 42)");
            }
            execute(cluster, 1, "UPDATE countries SET population = 7 WHERE code = 'A1'");
            for (int worker = 1; worker <= 2; worker++) {
                awaitQuery(cluster, worker, "SELECT string_agg(code || '=' || coalesce(population::text, '-'), ',' ORDER BY code) FROM countries",
                        "A1=7,A2=-,P2=42,R2=-,S1=-,S2=-");
            }
            child(0, "drift-check", "-f", withColumn.toString());

            Path unknownRole = writeSpec(cluster, "    grants: {no_such_role: [select]}\n", APP_GRANTS);
            String refused = child(1, "plan", "-f", unknownRole.toString());
            assertTrue(refused.contains("role no_such_role (grants of customers) does not exist on w1")
                    && refused.contains("does not exist on w2"), refused);
        }
    }

    private Path writeSpec(TestCluster cluster, String customerGrants, String countryGrants) throws IOException {
        StringBuilder yaml = new StringBuilder("cluster: grants\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
        for (int worker = 1; worker <= 2; worker++) {
            yaml.append("  - name: w").append(worker).append("\n    super_conninfo: \"").append(cluster.conninfo(cluster.worker(worker)))
                    .append("\"\n    conninfo: \"").append(cluster.conninfo(cluster.worker(worker)).replace("user=postgres", "user=shardman_fdw"))
                    .append(" password=${env:APP_PW}\"\n");
        }
        yaml.append("tables:\n").append(ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0")).append(customerGrants)
                .append(ClusterSpecFiles.COUNTRIES).append(countryGrants);
        return Files.writeString(Files.createTempFile(directory, "cluster", ".yaml"), yaml.toString());
    }

    /** The reload is asynchronous: wait (up to 10 s) until a password-less login as shardman_fdw is refused. */
    /** Replication to the copies is asynchronous: poll for up to 60 s. */
    private static void awaitQuery(TestCluster cluster, int worker, String sql, String expected) throws Exception {
        String last = "";
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline; Thread.sleep(200)) {
            last = query(cluster, worker, sql);
            if (last.equals(expected)) {
                return;
            }
        }
        assertEquals(expected, last, "w" + worker + " after 60 s");
    }

    private String child(int exitCode, String... arguments) throws IOException, InterruptedException {
        return ChildCli.run(directory, Map.of("APP_PW", PASSWORD), exitCode, arguments);
    }
}
