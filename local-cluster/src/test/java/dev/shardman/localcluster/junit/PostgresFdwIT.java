package dev.shardman.localcluster.junit;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** postgres_fdw reaches from one worker of the harness's cluster to another. */
@LocalClusterTest(workers = 2)
class PostgresFdwIT {

    @Test
    void foreignTableOnW1ReadsRowsOfW2(TestCluster cluster) throws SQLException {
        InstanceAddress w1 = cluster.worker(1);
        InstanceAddress w2 = cluster.worker(2);
        try (Connection connection = cluster.connect(w2); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL)");
            statement.execute("INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger')");
        }
        try (Connection connection = cluster.connect(w1); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION postgres_fdw");
            statement.execute("CREATE SERVER w2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '" + w2.host()
                    + "', port '" + w2.port() + "', dbname '" + cluster.database() + "', async_capable 'true')");
            statement.execute("CREATE USER MAPPING FOR CURRENT_USER SERVER w2 OPTIONS (user 'postgres')");
            statement.execute("CREATE FOREIGN TABLE customers_on_w2 (id bigint, name text) SERVER w2 "
                    + "OPTIONS (table_name 'customers')");

            assertEquals(List.of("1 Ada", "2 Grace", "3 Edsger"),
                    rows(statement, "SELECT id || ' ' || name FROM customers_on_w2 ORDER BY id"));
        }
    }

    /** Runs after or before the test above: either way its database starts empty. */
    @Test
    void eachTestHasItsOwnEmptyDatabase(TestCluster cluster) throws SQLException {
        for (InstanceAddress instance : cluster.instances()) {
            try (Connection connection = cluster.connect(instance); Statement statement = connection.createStatement()) {
                assertEquals(List.of(cluster.database() + " 0"), rows(statement,
                        "SELECT current_database() || ' ' || count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
                statement.execute("CREATE TABLE customers (id bigint)");
            }
        }
    }

    private static List<String> rows(Statement statement, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
