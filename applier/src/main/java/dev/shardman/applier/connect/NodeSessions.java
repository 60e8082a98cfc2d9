package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;

import java.sql.Connection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session to each of some nodes (the spec's that are not marked lost, or the live ones of the metadata), all opened
 * at once (a hung node costs one connect timeout, not one per node) and closed together. A node that could not be
 * reached is kept with its failure, for the caller to skip or to name. Sessions borrowed from a command's own
 * ({@link NodeConnections#borrowTogether}) stay open when these close.
 */
public final class NodeSessions implements AutoCloseable {
    private final Map<String, Connection> reached;
    private final Map<String, ShardmanException> unreachable;
    private final boolean owned;

    private NodeSessions(Map<String, Connection> reached, Map<String, ShardmanException> unreachable, boolean owned) {
        this.reached = reached;
        this.unreachable = unreachable;
        this.owned = owned;
    }

    /** Sessions someone else owns and closes: {@link #close} leaves them open. */
    static NodeSessions borrowed(Map<String, Connection> reached, Map<String, ShardmanException> unreachable) {
        return new NodeSessions(new LinkedHashMap<>(reached), new LinkedHashMap<>(unreachable), false);
    }

    /** Sessions from {@code factory} to the spec's nodes not marked lost. */
    public static NodeSessions open(ConnectionFactory factory, ClusterSpec spec) {
        return open(factory, notLost(spec));
    }

    /** The spec's nodes not marked lost, super_conninfo by name, in the spec's order. */
    public static Map<String, String> notLost(ClusterSpec spec) {
        Map<String, String> nodes = new LinkedHashMap<>();
        spec.nodes().stream().filter(node -> !node.lost()).forEach(node -> nodes.put(node.name(), node.superConninfo()));
        return nodes;
    }

    /** Sessions from {@code factory} to the nodes of {@code superConninfoByNode} (super_conninfo by name), in its order. */
    public static NodeSessions open(ConnectionFactory factory, Map<String, String> superConninfoByNode) {
        List<String> names = List.copyOf(superConninfoByNode.keySet());
        List<ConnectAttempt> attempts = NodeThreads.map("shardman-node-sessions", names,
                name -> ConnectAttempt.of(factory, name, superConninfoByNode.get(name)));
        Map<String, Connection> reached = new LinkedHashMap<>();
        Map<String, ShardmanException> unreachable = new LinkedHashMap<>();
        for (ConnectAttempt attempt : attempts) {
            attempt.connection().ifPresent(connection -> reached.put(attempt.node(), connection));
            attempt.failure().ifPresent(failure -> unreachable.put(attempt.node(), failure));
        }
        return new NodeSessions(reached, unreachable, true);
    }

    /** The session of {@code node}; throws why it could not be reached (also for a node not asked for). */
    public Connection session(String node) {
        Connection connection = reached.get(node);
        if (connection != null) {
            return connection;
        }
        throw unreachable.getOrDefault(node, new ShardmanException(ErrorCode.NODE_FAILURE, "node " + node + " was not connected to", ""));
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
        if (owned) {
            reached.values().forEach(Connections::closeQuietly);
        }
    }

}
