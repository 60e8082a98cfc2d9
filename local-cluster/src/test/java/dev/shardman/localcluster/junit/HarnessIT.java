package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.LocalClusterConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the harness promises besides the servers themselves. */
@LocalClusterTest(workers = 1)
class HarnessIT {
    private static TestCluster clusterBeforeAll;

    @BeforeAll
    static void createASharedRoleBeforeAll(TestCluster cluster) throws SQLException {
        clusterBeforeAll = cluster;
        for (InstanceAddress instance : cluster.instances()) {
            try (Connection connection = cluster.connect(instance); Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE shared_reader LOGIN");
            }
        }
    }

    @Test
    void rolesCreatedBeforeAllSurviveTheTests(TestCluster cluster) throws SQLException {
        for (InstanceAddress instance : cluster.instances()) {
            try (Connection connection = cluster.connect(instance);
                 Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = 'shared_reader'")) {
                assertTrue(result.next());
                assertEquals(1, result.getInt(1), "shared_reader on " + instance.name());
            }
        }
    }

    @Test
    void classLevelViewUsesThePostgresDatabase() {
        assertEquals("postgres", clusterBeforeAll.database());
    }

    @Test
    void instancesListenOnFreePortsAwayFromTheFixedLocalPorts(TestCluster cluster) {
        assertEquals(2, cluster.instances().size());
        assertEquals("shardlord", cluster.shardlord().name());
        assertEquals("w1", cluster.worker(1).name());
        for (InstanceAddress instance : cluster.instances()) {
            assertEquals("127.0.0.1", instance.host());
            int fixedBase = LocalClusterConfig.DEFAULT_BASE_PORT;
            assertFalse(instance.port() >= fixedBase && instance.port() <= fixedBase + LocalClusterConfig.MAX_WORKERS,
                    "port " + instance.port() + " is in the range of `shardman local up`");
        }
        assertTrue(Files.exists(cluster.serverLog(cluster.worker(1))));
        assertEquals("host=127.0.0.1 port=" + cluster.worker(1).port() + " dbname=" + cluster.database()
                + " user=postgres", cluster.conninfo(cluster.worker(1)));
    }

    @Test
    void connectionsCarryTheApplicationNameAndReachTheTestDatabase(TestCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect(cluster.shardlord());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_setting('application_name'), current_database()")) {
            assertTrue(result.next());
            assertEquals("shardman-test", result.getString(1));
            assertEquals(cluster.database(), result.getString(2));
        }
    }

    /** Whichever of the two role tests runs second would fail if roles leaked between tests. */
    @Test
    void rolesCreatedByATestAreDroppedAfterIt(TestCluster cluster) throws SQLException {
        createRoleOnEveryInstance(cluster);
    }

    @Test
    void rolesCreatedByAnotherTestAreDroppedAfterIt(TestCluster cluster) throws SQLException {
        createRoleOnEveryInstance(cluster);
    }

    private static void createRoleOnEveryInstance(TestCluster cluster) throws SQLException {
        for (InstanceAddress instance : cluster.instances()) {
            try (Connection connection = cluster.connect(instance); Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE app LOGIN");
                statement.execute("CREATE TABLE owned_by_app (id int)");
                statement.execute("ALTER TABLE owned_by_app OWNER TO app");
            }
        }
    }
}
