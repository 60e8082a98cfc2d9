package dev.shardman.cli.connections;

import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.ClusterSpecFiles;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.shardman.cli.testkit.WorkerSql.query;
import static dev.shardman.cli.testkit.WorkerSql.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spec with {@code sslmode=require} on workers that serve TLS (a self-signed certificate made by openssl, switched
 * on with ALTER SYSTEM and a reload): the foreign servers carry {@code sslmode=require}, and the postgres_fdw and
 * walsender backends the nodes open to each other are encrypted ({@code pg_stat_ssl.ssl}).
 */
@LocalClusterTest(workers = 2)
class TlsConnectionIT {
    /** 'encrypted' when the selected backends exist and all use TLS, else encrypted/all. */
    private static final String ENCRYPTED = "SELECT CASE WHEN count(*) > 0 AND bool_and(s.ssl) THEN 'encrypted' "
            + "ELSE count(*) FILTER (WHERE s.ssl) || '/' || count(*) END FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) ";

    @TempDir
    Path directory;

    @Test
    void foreignServersAndSubscriptionsUseTls(TestCluster cluster) throws Exception {
        Path certificate = directory.resolve("server.crt");
        Path key = directory.resolve("server.key");
        openssl("req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", certificate.toString());
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try {
            for (int worker = 1; worker <= 2; worker++) {
                execute(cluster, worker, "ALTER SYSTEM SET ssl_cert_file = '" + certificate + "'");
                execute(cluster, worker, "ALTER SYSTEM SET ssl_key_file = '" + key + "'");
                execute(cluster, worker, "ALTER SYSTEM SET ssl = on");
                query(cluster, worker, "SELECT pg_reload_conf()::text");
                awaitSetting(cluster, worker, "ssl", "on");
            }
            StringBuilder yaml = new StringBuilder("cluster: tls\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
            for (int worker = 1; worker <= 2; worker++) {
                yaml.append("  - name: w").append(worker).append("\n    super_conninfo: \"").append(cluster.conninfo(cluster.worker(worker)))
                        .append(" sslmode=require\"\n    replication_group: rg1\n");
            }
            yaml.append(ClusterSpecFiles.CUSTOMERS.replace("  - name: customers", "tables:\n  - name: customers"));
            Path spec = Files.writeString(directory.resolve("cluster.yaml"), yaml.toString());
            run(0, "apply", "-f", spec.toString(), "--auto-approve");

            for (int worker = 1; worker <= 2; worker++) {
                assertEquals("sslmode=require", query(cluster, worker, "SELECT string_agg(o, ',') FROM pg_foreign_server, unnest(srvoptions) o "
                        + "WHERE srvname LIKE 'shardman_node_%' AND o LIKE 'ssl%'"), "w" + worker + "'s foreign server");
            }
            execute(cluster, 1, "INSERT INTO customers (id) SELECT generate_series(1, 100)");
            awaitStreamingOverTls(cluster);
            try (Connection reader = cluster.connect(cluster.worker(1)); Statement statement = reader.createStatement();
                 ResultSet count = statement.executeQuery("SELECT count(*) FROM customers")) {
                count.next();
                assertEquals(100, count.getLong(1));
                // the reader's postgres_fdw connection to w2 stays open until its session ends
                assertEquals("encrypted", query(cluster, 2, ENCRYPTED + "WHERE a.application_name LIKE 'shardman-fdw:w1:%'"), "w1's FDW connection to w2");
            }
            run(0, "drift-check", "-f", spec.toString());
        } finally {
            for (int worker = 1; worker <= 2; worker++) {
                execute(cluster, worker, "ALTER SYSTEM RESET ssl");
                execute(cluster, worker, "ALTER SYSTEM RESET ssl_cert_file");
                execute(cluster, worker, "ALTER SYSTEM RESET ssl_key_file");
                query(cluster, worker, "SELECT pg_reload_conf()::text");
            }
        }
    }

    /** Each worker streams to the other (redundancy 1): both walsenders are up and encrypted; bounded wait. */
    private static void awaitStreamingOverTls(TestCluster cluster) throws Exception {
        String walsenders = ENCRYPTED + "WHERE a.backend_type = 'walsender' AND a.application_name LIKE 'shardman\\_sub\\_%'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = query(cluster, 1, walsenders) + " " + query(cluster, 2, walsenders);
            if (seen.equals("encrypted encrypted")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("walsenders (encrypted/all) on w1 and w2: " + seen);
    }

    private static void awaitSetting(TestCluster cluster, int worker, String name, String value) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            if (query(cluster, worker, "SHOW " + name).equals(value)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("w" + worker + ": " + name + " never became " + value);
    }

    private static void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl did not end");
        assertEquals(0, process.exitValue(), output);
    }

    private String run(int exitCode, String... arguments) throws IOException, InterruptedException {
        return ChildCli.run(directory, Map.of(), exitCode, arguments);
    }
}
