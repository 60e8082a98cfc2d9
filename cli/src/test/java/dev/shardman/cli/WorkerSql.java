package dev.shardman.cli;

import dev.shardman.localcluster.junit.TestCluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** SQL on one worker of the test cluster, one short-lived connection per call; shared by the cli ITs. */
final class WorkerSql {
    private WorkerSql() {
    }

    static void execute(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static long queryLong(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The first column of every row. */
    static List<String> strings(TestCluster cluster, int worker, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }

    /** Row count and checksum of a table in schema public: equal on a primary and its caught-up replica. */
    static String fingerprint(TestCluster cluster, int worker, String partition) throws SQLException {
        return strings(cluster, worker, "SELECT count(*) || ' rows, checksum ' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM public."
                + partition + " AS t").get(0);
    }

    /** Makes the test database of a worker unreachable (existing sessions ended), or reachable again. */
    static void setConnectionsAllowed(TestCluster cluster, int worker, boolean allowed) throws SQLException {
        try (Connection postgres = cluster.withDatabase("postgres").connect(cluster.worker(worker)); Statement statement = postgres.createStatement()) {
            statement.execute("ALTER DATABASE \"" + cluster.database() + "\" ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + cluster.database()
                        + "' AND pid <> pg_backend_pid()");
            }
        }
    }
}
