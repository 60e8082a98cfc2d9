package dev.shardman.bench;

import dev.shardman.localcluster.InstanceReport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain JDBC to an instance of the benchmark's local cluster (user postgres, trust authentication, no password). */
final class BenchSql {
    private BenchSql() {
    }

    static Connection connect(InstanceReport instance, String database, String applicationName) throws SQLException {
        return DriverManager.getConnection(url(instance, database, applicationName));
    }

    static String url(InstanceReport instance, String database, String applicationName) {
        return "jdbc:postgresql://127.0.0.1:" + instance.port() + "/" + database + "?user=postgres&ApplicationName=" + applicationName;
    }

    static void execute(InstanceReport instance, String database, String sql) throws SQLException {
        try (Connection connection = connect(instance, database, "shardman-bench"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static long queryLong(InstanceReport instance, String database, String sql) throws SQLException {
        try (Connection connection = connect(instance, database, "shardman-bench")) {
            return queryLong(connection, sql);
        }
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    static String queryString(InstanceReport instance, String database, String sql) throws SQLException {
        try (Connection connection = connect(instance, database, "shardman-bench"); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
