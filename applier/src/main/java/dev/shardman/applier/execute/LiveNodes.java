package dev.shardman.applier.execute;

import dev.shardman.applier.connect.NodeConnections;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The superuser connections of one command to the nodes, opened on first use (a thin view of {@link NodeConnections}). */
final class LiveNodes {
    private final NodeConnections connections;

    LiveNodes(NodeConnections connections) {
        this.connections = requireNonNull(connections, "connections is null");
    }

    Connection connect(NodeState node) {
        return connections.node(node);
    }

    /** A connection of its own to {@code node}, for another thread; the caller closes it. */
    Connection openSeparate(NodeState node) {
        return connections.openSeparate(node);
    }

    /** The shardlord's connection (its metadata database). */
    Connection shardlord() {
        return connections.shardlord();
    }

    Connection connect(String name, String superConninfo) {
        return connections.node(name, superConninfo);
    }

    /**
     * Opens the sessions of these nodes (super_conninfo by name) all at once; returns those that could not be reached
     * ({@link NodeConnections#openTogether}).
     */
    Map<String, ShardmanException> openTogether(Map<String, String> superConninfoByNode) {
        return connections.openTogether(superConninfoByNode);
    }
}
