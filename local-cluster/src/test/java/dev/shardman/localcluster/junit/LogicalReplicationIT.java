package dev.shardman.localcluster.junit;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A publication on w1 and a subscription on w2 replicate a row; the harness cleans both up. */
@LocalClusterTest(workers = 2)
class LogicalReplicationIT {
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

    @Test
    void insertedRowReachesTheSubscriber(TestCluster cluster) throws Exception {
        InstanceAddress w1 = cluster.worker(1);
        InstanceAddress w2 = cluster.worker(2);
        String table = "CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL)";
        try (Connection publisher = cluster.connect(w1); Statement statement = publisher.createStatement()) {
            statement.execute(table);
            statement.execute("CREATE PUBLICATION orders_publication FOR TABLE orders");
        }
        try (Connection subscriber = cluster.connect(w2); Statement statement = subscriber.createStatement()) {
            statement.execute(table);
            // CREATE SUBSCRIPTION refuses transaction blocks: pgjdbc's autocommit sends it alone.
            statement.execute("CREATE SUBSCRIPTION orders_subscription CONNECTION '" + cluster.conninfo(w1)
                    + "' PUBLICATION orders_publication");
        }
        try (Connection publisher = cluster.connect(w1); Statement statement = publisher.createStatement()) {
            statement.execute("INSERT INTO orders VALUES (42, 'teapot')");
        }

        assertEquals("teapot", awaitItem(cluster, w2, 42));
    }

    private static String awaitItem(TestCluster cluster, InstanceAddress instance, long id)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
        try (Connection connection = cluster.connect(instance); Statement statement = connection.createStatement()) {
            while (System.nanoTime() < deadline) {
                Optional<String> item = item(statement, id);
                if (item.isPresent()) {
                    return item.get();
                }
                Thread.sleep(100);
            }
        }
        return fail("row " + id + " did not reach " + instance.name() + " within " + REPLICATION_WAIT);
    }

    private static Optional<String> item(Statement statement, long id) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT item FROM orders WHERE id = " + id)) {
            return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
        }
    }
}
