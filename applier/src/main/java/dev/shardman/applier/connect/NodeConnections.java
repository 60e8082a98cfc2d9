package dev.shardman.applier.connect;

import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The connections of one command: the shardlord's and one superuser connection per node, each
 * opened on first use and kept until {@link #close()}. Not thread-safe: one command thread owns it
 * (parallel work opens its own connections through the {@link ConnectionFactory}).
 */
public final class NodeConnections implements AutoCloseable {
    private final ConnectionFactory factory;
    private final ConnectionTarget shardlord;
    private final Map<String, Connection> open = new LinkedHashMap<>();

    public NodeConnections(ConnectionFactory factory, String shardlordConninfo) {
        this.factory = requireNonNull(factory, "factory is null");
        this.shardlord = ConnectionTarget.shardlord(requireNonNull(shardlordConninfo, "shardlordConninfo is null"));
    }

    public Connection shardlord() {
        return open.computeIfAbsent("", key -> factory.connect(shardlord));
    }

    /** The superuser connection to {@code node} (its {@code super_conninfo}). */
    public Connection node(NodeState node) {
        return node(node.name(), node.superConninfo());
    }

    /** The superuser connection to the node {@code name} through {@code superConninfo} (e.g. a node of the spec not registered yet). */
    public Connection node(String name, String superConninfo) {
        return open.computeIfAbsent("node " + name, key -> factory.connect(ConnectionTarget.node(name, superConninfo)));
    }

    /** A new superuser connection to {@code node}, not kept here: the caller closes it (e.g. a watcher on another thread). */
    public Connection openSeparate(NodeState node) {
        return factory.connect(ConnectionTarget.node(node.name(), node.superConninfo()));
    }

    /** Closes every connection opened so far; failures to close are ignored (the session ends anyway). */
    @Override
    public void close() {
        for (Connection connection : open.values()) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The server ends the session when the socket closes.
            }
        }
        open.clear();
    }
}
