package dev.shardman.applier.connect;

import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.state.NodeState;
import org.junit.jupiter.api.Test;

import dev.shardman.model.ShardmanException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LocalClusterTest(workers = 1)
class ConnectionFactoryIT {
    @Test
    void connectsWithShardmansApplicationName(TestCluster cluster) throws SQLException {
        ConnectionFactory factory = new ConnectionFactory(ConninfoSecrets.of(Map.of("DB", cluster.database())), "shardman-apply", Duration.ofSeconds(5));
        String conninfo = "host=127.0.0.1 port=" + cluster.worker(1).port() + " dbname=${env:DB} user=postgres application_name=psql";
        try (Connection connection = factory.connect(ConnectionTarget.node("w1", conninfo))) {
            assertEquals("shardman-apply", single(connection, "SELECT current_setting('application_name')"));
            assertEquals(cluster.database(), single(connection, "SELECT current_database()"));
            assertTrue(connection.getAutoCommit());
        }
    }

    @Test
    void nodeConnectionsAreOpenedOnceAndClosedTogether(TestCluster cluster) throws SQLException {
        ConnectionFactory factory = new ConnectionFactory(ConninfoSecrets.of(Map.of()), "shardman-plan", Duration.ofSeconds(5));
        NodeState w1 = new NodeState(1, "w1", Optional.empty(), cluster.conninfo(cluster.worker(1)), Optional.empty(), "rg1", false);
        Connection shardlord;
        Connection node;
        try (NodeConnections connections = new NodeConnections(factory, cluster.conninfo(cluster.shardlord()))) {
            shardlord = connections.shardlord();
            node = connections.node(w1);
            assertSame(node, connections.node(w1));
            assertSame(shardlord, connections.shardlord());
            assertEquals("shardman-plan", single(node, "SELECT current_setting('application_name')"));
        }
        assertTrue(shardlord.isClosed());
        assertTrue(node.isClosed());
    }

    @Test
    void nodesOpenedTogetherNameThoseNotReachedAndAScopesMemoryOfFailuresEndsWithIt(TestCluster cluster) throws SQLException {
        ConnectionFactory factory = new ConnectionFactory(ConninfoSecrets.of(Map.of()), "shardman-apply", Duration.ofSeconds(5));
        String role = "shardman_it_login_later";
        execute(cluster, "DROP ROLE IF EXISTS " + role);
        execute(cluster, "CREATE ROLE " + role + " NOLOGIN");
        String later = "host=127.0.0.1 port=" + cluster.worker(1).port() + " dbname=" + cluster.database() + " user=" + role;
        try (NodeConnections connections = new NodeConnections(factory, cluster.conninfo(cluster.shardlord()))) {
            Map<String, ShardmanException> down;
            try (NodeConnections.Scope reads = connections.connectingWith(factory.rememberingUnreachable())) {
                down = connections.openTogether(Map.of("w1", cluster.conninfo(cluster.worker(1)), "w2", later));
                assertEquals(Set.of("w2"), down.keySet());
                assertTrue(down.get("w2").summary().contains("not permitted to log in"), down.get("w2").summary());
                try (Connection observer = cluster.connect(cluster.worker(1))) {
                    assertEquals("1", single(observer, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shardman-apply'"),
                            "w1's session was opened by openTogether, before any use");
                }
                execute(cluster, "ALTER ROLE " + role + " LOGIN");
                // the same failure, without asking the server again: the role may log in by now
                ShardmanException remembered = assertThrows(ShardmanException.class, () -> connections.node("w2", later));
                assertSame(down.get("w2"), remembered);
            }
            // the scope is over: the command's own factory tries the node again
            assertEquals(role, single(connections.node("w2", later), "SELECT current_user"));
        } finally {
            execute(cluster, "DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void aStatementLongerThanTheNodeTimeoutIsCancelledByTheServerUnlessItIsALongStatement(TestCluster cluster) throws SQLException {
        ConnectionFactory factory = new ConnectionFactory(ConninfoSecrets.of(Map.of()), "shardman-apply", Duration.ofSeconds(5)).withNodeTimeout(Duration.ofSeconds(1));
        try (Connection connection = factory.connect(ConnectionTarget.node("w1", cluster.conninfo(cluster.worker(1))))) {
            assertEquals("1s", single(connection, "SHOW statement_timeout"));
            assertEquals(2000, connection.getNetworkTimeout(), "the socket timeout is the node timeout plus its grace");
            SQLException cancelled = assertThrows(SQLException.class, () -> single(connection, "SELECT pg_sleep(3)::text"));
            assertEquals("57014", cancelled.getSQLState(), "the server's own statement_timeout: " + cancelled.getMessage());

            assertEquals("", LongStatement.run(connection, () -> single(connection, "SELECT pg_sleep(3)::text")));
            assertEquals("1s", single(connection, "SHOW statement_timeout"), "put back after the long statement");
            assertEquals(2000, connection.getNetworkTimeout());
        }
    }

    @Test
    void aSessionThatSendsNothingForTheSocketTimeoutFailsNamingItsNode(TestCluster cluster) throws SQLException {
        ConnectionFactory factory = new ConnectionFactory(ConninfoSecrets.of(Map.of()), "shardman-apply", Duration.ofSeconds(5)).withNodeTimeout(Duration.ofSeconds(1));
        try (Connection connection = factory.connect(ConnectionTarget.node("w1", cluster.conninfo(cluster.worker(1))))) {
            // no server-side cancel: only the client's socket timeout can end this wait, as with a hung node
            single(connection, "SELECT pg_catalog.set_config('statement_timeout', '0', false)");
            long start = System.nanoTime();
            SQLException silent = assertThrows(SQLException.class, () -> single(connection, "SELECT pg_sleep(30)::text"));
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(silent.getMessage().startsWith("node w1 did not answer within 2000 ms (settings.node_timeout 1000 ms"), silent.getMessage());
            assertTrue(SessionTimeouts.isSilence(silent));
            assertTrue(seconds < 20, "gave up after " + seconds + " s");
            assertTrue(connection.isClosed(), "pgjdbc aborted the session: closing it cannot hang");
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsWithinTheConnectTimeout() throws IOException {
        ConnectionFactory factory = new ConnectionFactory(ConninfoSecrets.of(Map.of()), "shardman-apply", Duration.ofSeconds(10)).withNodeTimeout(Duration.ofSeconds(2));
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(60_000);
                } catch (IOException | InterruptedException ended) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            ShardmanException failure = assertThrows(ShardmanException.class,
                    () -> factory.connect(ConnectionTarget.node("w9", "host=127.0.0.1 port=" + silent.getLocalPort() + " user=postgres")));
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(failure.summary().startsWith("cannot connect to node w9"), failure.summary());
            assertTrue(seconds < 10, "gave up after " + seconds + " s, not within about the 2 s bound");
            acceptor.interrupt();
        }
    }

    private static void execute(TestCluster cluster, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(1)); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
