package dev.shardman.localcluster.junit;

import org.postgresql.core.Utils;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and drops a test's database on every instance. Dropping must first undo what keeps a
 * database in use across instances: subscriptions (cut loose from their publisher's slot, which may
 * be gone already), prepared transactions, and walsenders serving its replication slots; the
 * inactive slots then go with the database. Roles are cluster-wide, so the ones a test created are
 * dropped too.
 */
final class TestDatabases {
    private static final String SUBSCRIPTIONS =
            "SELECT subname FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())";
    private static final String PREPARED_TRANSACTIONS =
            "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()";
    private static final String TERMINATE_WALSENDERS =
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND backend_type = 'walsender'";
    private static final String ROLES = "SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname";
    private static final String OBJECT_IN_USE = "55006";
    private static final int DROP_ATTEMPTS = 50;
    private static final long DROP_RETRY_MILLIS = 200;

    private TestDatabases() {
    }

    static void create(TestCluster cluster, InstanceAddress instance) throws SQLException {
        try (Connection connection = cluster.withDatabase("postgres").connect(instance);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + quote(cluster.database()));
        }
    }

    /** Step 1 on every instance before step 2 on any: a subscription keeps its publisher's slot active. */
    static void dropSubscriptions(TestCluster cluster, InstanceAddress instance) throws SQLException {
        try (Connection connection = cluster.connect(instance);
             Statement statement = connection.createStatement()) {
            // A synchronous_standby_names naming the subscriptions dropped here would make every commit, these DROPs included, wait forever.
            statement.execute("ALTER SYSTEM RESET synchronous_standby_names");
            statement.execute("SELECT pg_reload_conf()");
            for (String subscription : strings(connection, SUBSCRIPTIONS)) {
                String name = quote(subscription);
                statement.execute("ALTER SUBSCRIPTION " + name + " DISABLE");
                statement.execute("ALTER SUBSCRIPTION " + name + " SET (slot_name = NONE)");
                statement.execute("DROP SUBSCRIPTION " + name);
            }
            for (String gid : strings(connection, PREPARED_TRANSACTIONS)) {
                statement.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
            }
        }
    }

    /** Step 2: drop the database, waiting out walsenders that are still shutting down. */
    static void drop(TestCluster cluster, InstanceAddress instance) throws SQLException, InterruptedException {
        String database = cluster.database();
        try (Connection connection = cluster.withDatabase("postgres").connect(instance);
             Statement statement = connection.createStatement()) {
            for (int attempt = 1; ; attempt++) {
                try (PreparedStatement terminate = connection.prepareStatement(TERMINATE_WALSENDERS)) {
                    terminate.setString(1, database);
                    terminate.executeQuery().close();
                }
                try {
                    statement.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
                    return;
                } catch (SQLException e) {
                    if (!OBJECT_IN_USE.equals(e.getSQLState()) || attempt == DROP_ATTEMPTS) {
                        throw e;
                    }
                    Thread.sleep(DROP_RETRY_MILLIS);
                }
            }
        }
    }

    /** Drops the roles that are not in {@code rolesBefore}, the instance's roles before the test. */
    static void dropRolesExcept(List<String> rolesBefore, TestCluster cluster, InstanceAddress instance) throws SQLException {
        try (Connection connection = cluster.withDatabase("postgres").connect(instance);
             Statement statement = connection.createStatement()) {
            for (String role : strings(connection, ROLES)) {
                if (!rolesBefore.contains(role)) {
                    statement.execute("DROP OWNED BY " + quote(role));
                    statement.execute("DROP ROLE " + quote(role));
                }
            }
        }
    }

    static List<String> roles(TestCluster cluster, InstanceAddress instance) throws SQLException {
        try (Connection connection = cluster.withDatabase("postgres").connect(instance)) {
            return strings(connection, ROLES);
        }
    }

    private static List<String> strings(Connection connection, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }

    private static String quote(String identifier) throws SQLException {
        return Utils.escapeIdentifier(null, identifier).toString();
    }
}
