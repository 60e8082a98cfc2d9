package dev.shardman.applier.move;

import dev.shardman.applier.execute.DriftCheck;
import dev.shardman.applier.execute.DriftReport;
import dev.shardman.applier.objects.TableName;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.spec.ClusterSpec;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.shardman.applier.move.MoveTestSupport.assertNoMoveObjects;
import static dev.shardman.applier.move.MoveTestSupport.attachedLocally;
import static dev.shardman.applier.move.MoveTestSupport.execute;
import static dev.shardman.applier.move.MoveTestSupport.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MovePrimary end to end through apply: w3 joins a cluster of w1 and w2 (customers and its colocated orders, 6
 * partitions, 3,000 customers by default), apply rebalances by moving primaries to w3 online while a writer inserts and updates
 * customers through w1 and w2 (so through a third node and through the source's own parent). Afterwards every
 * committed id is there exactly once with its last update, the moved partitions are attached on w3, drift-check
 * is clean, no shardman_move object and no retired copy is left, and each move reported a write fence under 1 s.
 */
@LocalClusterTest(workers = 3)
class MovePrimaryIT {
    /** 3,000 by default; {@code -DmoveIt.rows=200000} for the figures of BENCHMARKS.md. */
    private static final int ROWS = Integer.getInteger("moveIt.rows", 3_000);

    @Test
    void aJoiningNodeReceivesPrimariesOnlineWithEveryCommittedWrite(TestCluster cluster) throws Exception {
        MoveTestSupport.apply(MoveTestSupport.spec(cluster, 2, 0));
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, " + ROWS + ") AS g");
        execute(cluster, 2, "INSERT INTO orders (customer_id, order_id, amount) SELECT g, 1, g FROM generate_series(1, " + ROWS + ") AS g");

        Writer writer = new Writer(cluster);
        Thread thread = new Thread(writer, "move-it-writer");
        thread.start();
        ClusterSpec three = MoveTestSupport.spec(cluster, 3, 0);
        MoveTestSupport.Recorder applied;
        try {
            MoveTestSupport.sleep(300);
            applied = MoveTestSupport.apply(three);
            MoveTestSupport.sleep(300);
        } finally {
            writer.stop.set(true);
            thread.join();
        }

        assertFalse(applied.reports.isEmpty(), "no move ran: " + applied.steps);
        assertTrue(applied.progress.stream().anyMatch(update -> update.phase().equals("catch-up")), "no catch-up progress");
        for (MoveReport report : applied.reports) {
            System.out.println("[MovePrimaryIT] " + report.stepId() + ": " + report.rows() + " rows, " + report.bytes() + " bytes, copy "
                    + report.copy().toMillis() + " ms, write fence " + report.writeFence().toMillis() + " ms");
            assertTrue(report.writeFence().compareTo(Duration.ZERO) > 0 && report.writeFence().compareTo(Duration.ofSeconds(1)) < 0,
                    "write fence of " + report.describe() + ": " + report.writeFence());
            assertTrue(report.rows() > 0, report.toString());
            String moved = report.stepId().substring("move-primary:".length());
            assertTrue(attachedLocally(cluster, 3, moved), moved + " is not attached on w3");
            String sibling = "orders_" + moved.substring("customers_".length());
            assertTrue(attachedLocally(cluster, 3, sibling), sibling + " did not move with " + moved);
        }
        assertEquals(List.of(), writer.errors, "writer errors during the moves");
        assertTrue(writer.inserted.size() > 20, "the writer barely ran: " + writer.inserted.size());
        System.out.println("[MovePrimaryIT] writer: " + writer.inserted.size() + " inserts committed, " + writer.errors.size() + " errors");

        for (int worker = 1; worker <= 3; worker++) {
            assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM (SELECT id FROM customers GROUP BY id HAVING count(*) > 1) AS d"),
                    "duplicates through w" + worker);
            assertEquals(ROWS + writer.inserted.size(), queryLong(cluster, worker, "SELECT count(*) FROM customers"), "customers through w" + worker);
            assertEquals(ROWS, queryLong(cluster, worker, "SELECT count(*) FROM orders"), "orders through w" + worker);
        }
        assertEveryCommittedWrite(cluster, writer);

        DriftReport drift = new DriftCheck(MoveTestSupport.factory()).check(three, List.of(), Duration.ofHours(1));
        assertTrue(drift.inSync(), "drift after the moves: " + drift);
        assertNoMoveObjects(cluster, 3);
        for (int worker = 1; worker <= 3; worker++) {
            assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM pg_namespace WHERE nspname = 'shardman_retired'"),
                    "retired copies left on w" + worker);
        }
        assertTrue(MoveTestSupport.apply(three).steps.isEmpty(), "a second apply still had work");
    }

    /**
     * A move's subscription copies in binary only where both ends read it the same way: same major version, same
     * columns of the same built-in types. Otherwise (another type on one end, a user's type, a missing table) text.
     */
    @Test
    void copiesInBinaryOnlyWhereBothEndsHaveTheSameBuiltInColumnTypes(TestCluster cluster) throws Exception {
        for (int worker : new int[] {1, 3}) {
            execute(cluster, worker, "CREATE TABLE same_types (id bigint PRIMARY KEY, amount numeric(12,2), tags text[], at timestamptz)");
            execute(cluster, worker, "CREATE TYPE mood AS ENUM ('calm', 'busy')");
            execute(cluster, worker, "CREATE TABLE user_type (id bigint PRIMARY KEY, mood mood)");
        }
        execute(cluster, 1, "CREATE TABLE widened (id integer PRIMARY KEY)");
        execute(cluster, 3, "CREATE TABLE widened (id bigint PRIMARY KEY)");
        execute(cluster, 1, "CREATE TABLE only_on_source (id bigint PRIMARY KEY)");
        try (Connection source = cluster.connect(cluster.worker(1)); Connection destination = cluster.connect(cluster.worker(3))) {
            assertTrue(MoveCopy.binaryFormat(source, destination, List.of(table("same_types"))));
            assertFalse(MoveCopy.binaryFormat(source, destination, List.of(table("widened"))));
            assertFalse(MoveCopy.binaryFormat(source, destination, List.of(table("user_type"))));
            assertFalse(MoveCopy.binaryFormat(source, destination, List.of(table("only_on_source"))));
            assertFalse(MoveCopy.binaryFormat(source, destination, List.of(table("same_types"), table("widened"))), "one table decides for the unit");
        }
    }

    private static TableName table(String name) {
        return new TableName("public", name);
    }

    private static void assertEveryCommittedWrite(TestCluster cluster, Writer writer) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(3));
             PreparedStatement statement = connection.prepareStatement("SELECT id, name FROM customers WHERE id = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("bigint", writer.inserted.toArray()));
            int found = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found++;
                    String expected = writer.names.get(rows.getLong(1));
                    assertEquals(expected, rows.getString(2), "last committed write of id " + rows.getLong(1));
                }
            }
            assertEquals(writer.inserted.size(), found, "committed inserts found");
        }
        for (Map.Entry<Long, String> update : writer.names.entrySet()) {
            if (update.getKey() <= ROWS) {
                assertEquals(1L, queryLong(cluster, 1, "SELECT count(*) FROM customers WHERE id = " + update.getKey() + " AND name = '"
                        + update.getValue() + "'"), "update of id " + update.getKey());
            }
        }
    }

    /** Inserts a new customer and updates an old one, alternately through w1 and w2, until stopped; remembers what committed. */
    private static final class Writer implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Long> inserted = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, String> names = new ConcurrentHashMap<>();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private final TestCluster cluster;
        private final AtomicLong nextId = new AtomicLong(ROWS + 1_000_000L);

        Writer(TestCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void run() {
            try (Connection w1 = cluster.connect(cluster.worker(1)); Connection w2 = cluster.connect(cluster.worker(2))) {
                for (long round = 0; !stop.get(); round++) {
                    Connection through = round % 2 == 0 ? w1 : w2;
                    long id = nextId.getAndIncrement();
                    try (PreparedStatement insert = through.prepareStatement("INSERT INTO customers (id, name) VALUES (?, ?)")) {
                        insert.setLong(1, id);
                        insert.setString(2, "new " + id);
                        insert.executeUpdate();
                        inserted.add(id);
                        names.put(id, "new " + id);
                    } catch (SQLException failure) {
                        errors.add("insert " + id + ": " + failure.getMessage());
                    }
                    long old = 1 + (round * 7) % ROWS;
                    try (PreparedStatement update = through.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
                        update.setString(1, "updated " + round);
                        update.setLong(2, old);
                        if (update.executeUpdate() == 1) {
                            names.put(old, "updated " + round);
                        }
                    } catch (SQLException failure) {
                        errors.add("update " + old + ": " + failure.getMessage());
                    }
                    MoveTestSupport.sleep(5);
                }
            } catch (SQLException connect) {
                errors.add("connect: " + connect.getMessage());
            }
        }
    }
}
