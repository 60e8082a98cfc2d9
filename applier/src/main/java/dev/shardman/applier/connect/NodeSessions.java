package dev.shardman.applier.connect;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;

import java.sql.Connection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session to each of the spec's nodes that are not marked lost, all opened at once (a hung node costs one connect
 * timeout, not one per node) and closed together. A node that could not be reached is kept with its failure, for the
 * caller to skip or to name.
 */
public final class NodeSessions implements AutoCloseable {
    private final Map<String, Connection> reached;
    private final Map<String, ShardmanException> unreachable;

    private NodeSessions(Map<String, Connection> reached, Map<String, ShardmanException> unreachable) {
        this.reached = reached;
        this.unreachable = unreachable;
    }

    /** Sessions from {@code factory} to the spec's nodes not marked lost. */
    public static NodeSessions open(ConnectionFactory factory, ClusterSpec spec) {
        List<NodeSpec> nodes = spec.nodes().stream().filter(node -> !node.lost()).toList();
        List<ConnectAttempt> attempts = NodeThreads.map("shardman-node-sessions", nodes,
                node -> ConnectAttempt.of(factory, node.name(), node.superConninfo()));
        Map<String, Connection> reached = new LinkedHashMap<>();
        Map<String, ShardmanException> unreachable = new LinkedHashMap<>();
        for (ConnectAttempt attempt : attempts) {
            attempt.connection().ifPresent(connection -> reached.put(attempt.node(), connection));
            attempt.failure().ifPresent(failure -> unreachable.put(attempt.node(), failure));
        }
        return new NodeSessions(reached, unreachable);
    }

    /** The sessions, by node name, in the spec's order. */
    public Map<String, Connection> reached() {
        return Collections.unmodifiableMap(reached);
    }

    /** Why each node that could not be reached was not, by node name, in the spec's order. */
    public Map<String, ShardmanException> unreachable() {
        return Collections.unmodifiableMap(unreachable);
    }

    @Override
    public void close() {
        reached.values().forEach(Connections::closeQuietly);
    }

}
