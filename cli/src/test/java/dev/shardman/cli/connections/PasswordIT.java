package dev.shardman.cli.connections;

import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.ScramLogins;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static dev.shardman.cli.testkit.WorkerSql.query;
import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.ScramLogins.connectAs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node conninfo with a non-superuser and {@code password=${env:APP_PW}}: the user mappings carry
 * the password and queries go through them as that user, yet the password appears in no output, plan
 * file, state snapshot, journal row or server log. An application role that is not a superuser reads
 * and writes the sharded table across nodes through the FOR PUBLIC mappings and shardman's grants.
 */
@LocalClusterTest(workers = 2)
class PasswordIT {
    private static final String PASSWORD = "Sekret-pw-4711";

    @TempDir
    Path directory;

    @Test
    void thePasswordIsUsedButNeverShownOrStored(TestCluster cluster) throws Exception {
        for (int worker = 1; worker <= 2; worker++) {
            execute(cluster, worker, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shardman_app') THEN "
                    + "CREATE ROLE shardman_app LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
        }
        StringBuilder yaml = new StringBuilder("cluster: secrets\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
        for (int worker = 1; worker <= 2; worker++) {
            yaml.append("  - name: w").append(worker).append("\n    super_conninfo: \"").append(cluster.conninfo(cluster.worker(worker)))
                    .append("\"\n    conninfo: \"").append(cluster.conninfo(cluster.worker(worker)).replace("user=postgres", "user=shardman_app"))
                    .append(" password=${env:APP_PW}\"\n");
        }
        yaml.append(ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0").replace("  - name: customers", "tables:\n  - name: customers"));
        Path spec = Files.writeString(directory.resolve("cluster.yaml"), yaml.toString());
        Path planFile = directory.resolve("plan.json");

        StringBuilder everything = new StringBuilder();
        // a node that logs every statement (an auditing setup) must not write the user mappings' password to its log
        setLogStatement(cluster, "all");
        try {
            everything.append(childExpecting(0, "plan", "-f", spec.toString(), "--out", planFile.toString()));
            everything.append(childExpecting(0, "apply", "-f", spec.toString(), "--auto-approve"));
            everything.append(childExpecting(0, "drift-check", "-f", spec.toString(), "--json"));
            everything.append(childExpecting(0, "status", "-f", spec.toString()));
            everything.append(childExpecting(0, "state", "pull", "-f", spec.toString()));
        } finally {
            setLogStatement(cluster, "none");
        }
        assertTrue(Files.readString(cluster.serverLog(cluster.worker(1))).contains("CREATE FOREIGN TABLE"), "w1 logged apply's statements");
        everything.append(Files.readString(planFile));
        everything.append(query(cluster, 0, "SELECT string_agg(concat_ws(' ', step_id, description, error), E'\\n') FROM shardman.journal"));
        everything.append(query(cluster, 0, "SELECT string_agg(concat_ws(' ', super_conninfo, conninfo), E'\\n') FROM shardman.nodes"));
        for (var instance : cluster.instances()) {
            everything.append(Files.readString(cluster.serverLog(instance)));
        }
        assertTrue(everything.toString().contains("Apply complete"), everything.toString());
        assertFalse(everything.toString().contains(PASSWORD), "the password leaked somewhere:\n" + everything);

        assertEquals("true", query(cluster, 1, "SELECT bool_and(EXISTS (SELECT 1 FROM unnest(umoptions) o WHERE o LIKE 'password=%'))::text"
                + " FROM pg_user_mappings WHERE srvname LIKE 'shardman_node_%'"), "the user mappings carry the password");
        for (int worker = 1; worker <= 2; worker++) {
            execute(cluster, worker, "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO shardman_app");
        }
        execute(cluster, 1, "INSERT INTO customers (id) SELECT generate_series(1, 100)");
        assertEquals("100", query(cluster, 2, "SELECT count(*)::text FROM customers"));
    }

    private static void setLogStatement(TestCluster cluster, String value) throws Exception {
        for (int worker = 1; worker <= 2; worker++) {
            execute(cluster, worker, "ALTER SYSTEM SET log_statement = '" + value + "'");
            execute(cluster, worker, "SELECT pg_reload_conf()");
        }
    }

    /**
     * The workers ask {@code shardman_fdw} (the nodes' conninfo role) for a scram password, as production servers
     * would: postgres_fdw refuses a non-superuser's connection that the server did not authenticate by password,
     * so no {@code password_required 'false'} is needed. {@code app_user} is a plain role the DBA granted the parent to.
     */
    @Test
    void aNonSuperuserApplicationWritesAndReadsAcrossNodes(TestCluster cluster) throws Exception {
        for (int worker = 1; worker <= 2; worker++) {
            execute(cluster, worker, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shardman_fdw') THEN "
                    + "CREATE ROLE shardman_fdw LOGIN PASSWORD '" + PASSWORD + "'; END IF; "
                    + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN CREATE ROLE app_user LOGIN; END IF; END $$");
        }
        try (ScramLogins ignored = ScramLogins.demand(cluster, 2, java.util.List.of("shardman_fdw"))) {
            StringBuilder yaml = new StringBuilder("cluster: apps\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
            for (int worker = 1; worker <= 2; worker++) {
                yaml.append("  - name: w").append(worker).append("\n    super_conninfo: \"").append(cluster.conninfo(cluster.worker(worker)))
                        .append("\"\n    conninfo: \"").append(cluster.conninfo(cluster.worker(worker)).replace("user=postgres", "user=shardman_fdw"))
                        .append(" password=${env:APP_PW}\"\n");
            }
            yaml.append(ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0").replace("  - name: customers", "tables:\n  - name: customers"));
            Path spec = Files.writeString(directory.resolve("cluster.yaml"), yaml.toString());
            childExpecting(0, "apply", "-f", spec.toString(), "--auto-approve");
            for (int worker = 1; worker <= 2; worker++) {
                execute(cluster, worker, "GRANT SELECT, INSERT, UPDATE, DELETE ON customers TO app_user");
            }

            try (Connection w1 = connectAs(cluster, 1, "app_user"); Statement statement = w1.createStatement()) {
                statement.execute("INSERT INTO customers (id, name) SELECT n, 'insert ' || n FROM generate_series(1, 100) AS n");
                StringBuilder rows = new StringBuilder();
                for (int id = 101; id <= 200; id++) {
                    rows.append(id).append(",copy ").append(id).append('\n');
                }
                long copied = w1.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY customers (id, name) FROM STDIN (FORMAT csv)",
                        new StringReader(rows.toString()));
                assertEquals(100, copied);
                assertEquals(50, statement.executeUpdate("UPDATE customers SET country = 'DE' WHERE id % 4 = 0"));
                assertEquals(20, statement.executeUpdate("DELETE FROM customers WHERE id > 180"));
            }
            try (Connection w2 = connectAs(cluster, 2, "app_user"); Statement statement = w2.createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE country = 'DE'), max(id) FROM customers")) {
                row.next();
                assertEquals(180, row.getLong(1));
                assertEquals(45, row.getLong(2));
                assertEquals(180, row.getLong(3));
            }
            long onW1 = Long.parseLong(query(cluster, 1, "SELECT count(*)::text FROM customers WHERE tableoid::regclass::text NOT LIKE '%fdw'"));
            assertTrue(onW1 > 0 && onW1 < 180, "rows are on both nodes: " + onW1 + " of 180 on w1");

            execute(cluster, 2, "REVOKE UPDATE ON customers_1 FROM shardman_fdw");
            String drift = childExpecting(2, "drift-check", "-f", spec.toString());
            assertTrue(drift.contains("role shardman_fdw lacks UPDATE on public.customers_1"), drift);
            childExpecting(0, "recover", "-f", spec.toString());
            childExpecting(0, "drift-check", "-f", spec.toString());
        }
    }

    /** The reload is asynchronous: wait until a password-less login as shardman_fdw is refused. */

    private String childExpecting(int exitCode, String... arguments) throws IOException, InterruptedException {
        return ChildCli.run(directory, Map.of("APP_PW", PASSWORD), exitCode, arguments);
    }
}
