package dev.shardman.cli;

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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node conninfo with a non-superuser and {@code password=${env:APP_PW}}: the user mappings carry
 * the password and queries go through them as that user, yet the password appears in no output, plan
 * file, state snapshot, journal row or server log.
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
        everything.append(child(spec, "plan", "-f", spec.toString(), "--out", planFile.toString()));
        everything.append(child(spec, "apply", "-f", spec.toString(), "--auto-approve"));
        everything.append(child(spec, "drift-check", "-f", spec.toString(), "--json"));
        everything.append(child(spec, "status", "-f", spec.toString()));
        everything.append(child(spec, "state", "pull", "-f", spec.toString()));
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

    private String child(Path spec, String... arguments) throws IOException, InterruptedException {
        Path log = Files.createTempFile(directory, "run", ".log");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                ShardmanMain.class.getName()));
        command.addAll(java.util.List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("APP_PW", PASSWORD);
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        String output = Files.readString(log);
        assertTrue(process.exitValue() == 0, String.join(" ", arguments) + " failed: " + output);
        return output;
    }

    private static void execute(TestCluster cluster, int instance, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.instances().get(instance)); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(TestCluster cluster, int instance, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.instances().get(instance)); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return String.valueOf(row.getString(1));
        }
    }
}
