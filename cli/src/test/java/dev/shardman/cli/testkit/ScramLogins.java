package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.TestCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static dev.shardman.cli.testkit.WorkerSql.query;

/**
 * pg_hba.conf lines that make the workers ask some roles for their scram password, as production servers do (the
 * harness's postgres keeps trust); {@link #close} takes them out again. Shared by the ITs of non-superuser conninfos.
 */
public final class ScramLogins implements AutoCloseable {
    private final TestCluster cluster;
    private final String lines;
    private final List<Path> hbaFiles = new ArrayList<>();

    private ScramLogins(TestCluster cluster, List<String> roles) {
        this.cluster = cluster;
        this.lines = String.join("", roles.stream().map(role -> "host all " + role + " 127.0.0.1/32 scram-sha-256\n").toList());
    }

    /** Workers w1..w{@code workers} demand passwords from {@code roles}; waits (bounded) until the reload took effect. */
    public static ScramLogins demand(TestCluster cluster, int workers, List<String> roles) throws Exception {
        ScramLogins logins = new ScramLogins(cluster, roles);
        try {
            for (int worker = 1; worker <= workers; worker++) {
                Path hba = Path.of(query(cluster, worker, "SHOW hba_file"));
                Files.writeString(hba, logins.lines + Files.readString(hba));
                logins.hbaFiles.add(hba);
                query(cluster, worker, "SELECT pg_reload_conf()::text");
                awaitPasswordDemanded(cluster, worker, roles.get(0));
            }
            return logins;
        } catch (Exception | AssertionError failure) {
            logins.close();
            throw failure;
        }
    }

    public static Connection connectAs(TestCluster cluster, int worker, String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("ApplicationName", "shardman-test-app");
        return DriverManager.getConnection(cluster.jdbcUrl(cluster.worker(worker)), properties);
    }

    /** The reload is asynchronous: wait (up to 10 s) until a password-less login is refused. */
    private static void awaitPasswordDemanded(TestCluster cluster, int worker, String role) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            try (Connection ignored = connectAs(cluster, worker, role)) {
                Thread.sleep(50);
            } catch (SQLException refused) {
                return;
            }
        }
        throw new AssertionError("w" + worker + " never started asking " + role + " for a password");
    }

    @Override
    public void close() throws Exception {
        for (int index = 0; index < hbaFiles.size(); index++) {
            Path hba = hbaFiles.get(index);
            Files.writeString(hba, Files.readString(hba).replace(lines, ""));
            query(cluster, index + 1, "SELECT pg_reload_conf()::text");
        }
    }
}
