package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.NodeThreads;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.NodeState;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * {@code pg_total_relation_size} (table, indexes and TOAST) of given tables on each node, one query per node, all nodes
 * in parallel on connections of their own. A node gets the factory's connect timeout plus its socket read timeout from
 * the start; one that fails or is late has its reason instead of sizes. A table missing on its node has no size.
 */
final class PartitionSizes {
    private static final String SIZES = """
            SELECT name, pg_catalog.pg_total_relation_size(pg_catalog.to_regclass(name))
            FROM pg_catalog.unnest(?::text[]) AS name""";

    /** One node's answer: sizes by table, or why there are none. */
    record NodeSizes(Map<TableName, Long> bytes, String failure) {
        NodeSizes {
            bytes = Map.copyOf(bytes);
            requireNonNull(failure, "failure is null");
        }

        boolean read() {
            return failure.isEmpty();
        }
    }

    private final ConnectionFactory factory;

    PartitionSizes(ConnectionFactory factory) {
        this.factory = requireNonNull(factory, "factory is null");
    }

    /** Sizes of {@code tables} per node name, sorted by node name; every node of {@code tables} has an entry. */
    Map<String, NodeSizes> read(Map<NodeState, List<TableName>> tables) {
        if (tables.isEmpty()) {
            return Map.of();
        }
        Duration bound = factory.timeouts().connect().plus(factory.timeouts().socketRead());
        try (NodeThreads executor = new NodeThreads("shardman-sizes", tables.size())) {
            Map<String, Future<NodeSizes>> futures = new LinkedHashMap<>();
            tables.forEach((node, names) -> futures.put(node.name(), executor.submit(() -> readOne(node, names))));
            long deadline = System.nanoTime() + bound.toNanos();
            Map<String, NodeSizes> result = new TreeMap<>();
            futures.forEach((node, future) -> result.put(node, await(future, deadline, bound)));
            return result;
        }
    }

    private NodeSizes readOne(NodeState node, Collection<TableName> names) throws SQLException {
        try (Connection connection = factory.connect(ConnectionTarget.node(node.name(), node.superConninfo()));
             PreparedStatement statement = connection.prepareStatement(SIZES)) {
            Array qualified = connection.createArrayOf("text", names.stream().map(SqlNames::qualified).toArray());
            statement.setArray(1, qualified);
            Map<String, TableName> byQualified = new TreeMap<>();
            names.forEach(name -> byQualified.put(SqlNames.qualified(name), name));
            Map<TableName, Long> bytes = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long size = rows.getLong(2);
                    if (!rows.wasNull()) {
                        bytes.put(byQualified.get(rows.getString(1)), size);
                    }
                }
            }
            return new NodeSizes(bytes, "");
        }
    }

    private static NodeSizes await(Future<NodeSizes> future, long deadline, Duration bound) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            future.cancel(true);
            return new NodeSizes(Map.of(), "no answer within " + bound.toMillis() + " ms");
        } catch (ExecutionException failure) {
            Throwable cause = failure.getCause();
            return new NodeSizes(Map.of(), cause instanceof ShardmanException known ? known.summary() : String.valueOf(cause.getMessage()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new NodeSizes(Map.of(), "interrupted");
        }
    }
}
