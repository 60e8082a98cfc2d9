package dev.shardman.applier.monitor;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.Connections;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The nodes of one poll, read in parallel, each on a connection of its own that stays open until {@link #close()}
 * (the channels and a deadlock's cancel use them). A node that does not answer within the session bounds (connect,
 * then the socket timeout) is unreachable; its late connection, if any, is closed when it arrives.
 */
final class NodePoll implements AutoCloseable {
    private record Sampled(NodeSample sample, Optional<Connection> connection) {
    }

    private final Map<String, NodeSample> samples = new LinkedHashMap<>();
    private final Map<String, Connection> connections = new LinkedHashMap<>();

    private NodePoll() {
    }

    static NodePoll read(ConnectionFactory factory, List<NodeState> nodes, ExecutorService executor) {
        NodePoll poll = new NodePoll();
        Map<NodeState, CompletableFuture<Sampled>> pending = new LinkedHashMap<>();
        for (NodeState node : nodes) {
            pending.put(node, CompletableFuture.supplyAsync(() -> sample(factory, node), executor));
        }
        Duration bound = factory.timeouts().connect().plus(factory.timeouts().socketRead()).plusSeconds(1);
        long deadline = System.nanoTime() + bound.toNanos();
        for (Map.Entry<NodeState, CompletableFuture<Sampled>> entry : pending.entrySet()) {
            String name = entry.getKey().name();
            try {
                Sampled sampled = entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                poll.samples.put(name, sampled.sample());
                sampled.connection().ifPresent(connection -> poll.connections.put(name, connection));
            } catch (TimeoutException late) {
                entry.getValue().thenAccept(sampled -> sampled.connection().ifPresent(Connections::closeQuietly));
                poll.samples.put(name, NodeSample.unreachable(name, "no answer within " + bound.toSeconds() + " s", bound));
            } catch (ExecutionException | InterruptedException failed) {
                poll.samples.put(name, NodeSample.unreachable(name, String.valueOf(failed.getMessage()), bound));
            }
        }
        return poll;
    }

    private static Sampled sample(ConnectionFactory factory, NodeState node) {
        long started = System.nanoTime();
        Connection connection = null;
        try {
            connection = factory.connect(ConnectionTarget.node(node.name(), node.superConninfo()));
            return new Sampled(NodeSampler.sample(connection, node.name(), started), Optional.of(connection));
        } catch (SQLException | ShardmanException failure) {
            if (connection != null) {
                Connections.closeQuietly(connection);
            }
            String reason = failure instanceof ShardmanException known ? known.summary() : failure.getMessage();
            return new Sampled(NodeSample.unreachable(node.name(), String.valueOf(reason).replaceAll("\\s*\\n\\s*", " "),
                    Duration.ofNanos(System.nanoTime() - started)), Optional.empty());
        }
    }

    List<NodeSample> samples() {
        return List.copyOf(samples.values());
    }

    /** Every backend in a transaction on the reachable nodes. */
    List<Backend> backends() {
        List<Backend> all = new ArrayList<>();
        samples.values().forEach(sample -> all.addAll(sample.backends()));
        return all;
    }

    /** The open connection to a reachable node of this poll. */
    Optional<Connection> connection(String node) {
        return Optional.ofNullable(connections.get(node));
    }

    @Override
    public void close() {
        connections.values().forEach(Connections::closeQuietly);
        connections.clear();
    }

}
