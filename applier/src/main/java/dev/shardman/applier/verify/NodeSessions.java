package dev.shardman.applier.verify;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.NodeThreads;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * One read-only superuser session per node for the whole verification, and a small pool that runs
 * one task per node at a time, so that the nodes are read in parallel while each session is used by
 * one thread only. A node whose session cannot be opened fails every task given to it.
 */
final class NodeSessions implements AutoCloseable {
    private final ConnectionFactory factory;
    private final Map<String, NodeState> nodes;
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final NodeThreads executor;

    NodeSessions(ConnectionFactory factory, Map<String, NodeState> nodes) {
        this.factory = requireNonNull(factory, "factory is null");
        this.nodes = Map.copyOf(nodes);
        this.executor = new NodeThreads("shardman-verify", nodes.size());
    }

    /** The node's session, opened on first use (read-only transactions, autocommit). */
    Connection session(String node) throws SQLException {
        Connection existing = open.get(node);
        if (existing != null) {
            return existing;
        }
        NodeState state = requireNonNull(nodes.get(node), () -> "no node " + node);
        Connection connection = factory.connect(ConnectionTarget.node(node, state.superConninfo()));
        connection.setReadOnly(true);
        open.put(node, connection);
        return connection;
    }

    /** A new session to {@code node} that may take locks (not read-only); the caller closes it. */
    Connection openWritable(String node) {
        NodeState state = requireNonNull(nodes.get(node), () -> "no node " + node);
        return factory.connect(ConnectionTarget.node(node, state.superConninfo()));
    }

    /**
     * Runs the task of every node in parallel and returns the results in the order of {@code work}; a
     * task that throws gives {@code onFailure(node, cause)} instead.
     */
    <R> List<R> forEachNode(Map<String, ? extends Callable<R>> work, BiFunction<String, Throwable, R> onFailure) {
        Map<String, Future<R>> futures = new java.util.LinkedHashMap<>();
        work.forEach((node, task) -> futures.put(node, executor.submit(task)));
        List<R> results = new ArrayList<>();
        for (Map.Entry<String, Future<R>> future : futures.entrySet()) {
            try {
                results.add(future.getValue().get());
            } catch (ExecutionException failure) {
                results.add(onFailure.apply(future.getKey(), failure.getCause()));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while verifying", interrupted);
            }
        }
        return results;
    }

    @Override
    public void close() {
        executor.close();
        open.values().forEach(connection -> {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // read-only sessions: nothing to lose
            }
        });
        open.clear();
    }
}
