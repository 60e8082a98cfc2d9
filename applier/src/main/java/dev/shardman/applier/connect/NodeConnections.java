package dev.shardman.applier.connect;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The connections of one command: the shardlord's and one superuser connection per node, each
 * opened on first use and kept until {@link #close()}. Not thread-safe: one command thread owns it
 * (parallel work opens its own connections through the {@link ConnectionFactory}).
 */
public final class NodeConnections implements AutoCloseable {
    private final ConnectionFactory commandFactory;
    private final ConnectionTarget shardlord;
    private final Map<String, Connection> open = new LinkedHashMap<>();
    /** Where new sessions come from: the command's factory, or another one for a while ({@link #connectingWith}). */
    private ConnectionFactory factory;

    public NodeConnections(ConnectionFactory factory, String shardlordConninfo) {
        this.commandFactory = requireNonNull(factory, "factory is null");
        this.factory = commandFactory;
        this.shardlord = ConnectionTarget.shardlord(requireNonNull(shardlordConninfo, "shardlordConninfo is null"));
    }

    /**
     * Until the returned scope closes, new sessions come from {@code during}: e.g. a factory that remembers the nodes it
     * could not reach, for the reads apply makes before its question, so that a hung node costs one connect timeout there
     * and is tried again by the steps.
     */
    public Scope connectingWith(ConnectionFactory during) {
        factory = requireNonNull(during, "during is null");
        return () -> factory = commandFactory;
    }

    /** What {@link #connectingWith} returns: closing it goes back to the command's factory. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Opens the sessions of the nodes of {@code superConninfoByNode} that are not open yet, all at once (a hung node costs
     * one connect timeout, not one per node); returns why each node that could not be reached was not, by name.
     */
    public Map<String, ShardmanException> openTogether(Map<String, String> superConninfoByNode) {
        List<String> closed = superConninfoByNode.keySet().stream().filter(name -> !open.containsKey(key(name))).toList();
        ConnectionFactory from = factory;
        Map<String, ShardmanException> failures = new TreeMap<>();
        for (ConnectAttempt attempt : NodeThreads.map("shardman-node-connections", closed,
                name -> ConnectAttempt.of(from, name, superConninfoByNode.get(name)))) {
            attempt.connection().ifPresent(connection -> open.put(key(attempt.node()), connection));
            attempt.failure().ifPresent(failure -> failures.put(attempt.node(), failure));
        }
        return failures;
    }

    /**
     * The kept sessions of the nodes of {@code superConninfoByNode}, those not open yet opened together ({@link #openTogether}),
     * lent as {@link NodeSessions}: closing them leaves the sessions to this command.
     */
    public NodeSessions borrowTogether(Map<String, String> superConninfoByNode) {
        Map<String, ShardmanException> failures = openTogether(superConninfoByNode);
        Map<String, Connection> reached = new LinkedHashMap<>();
        Map<String, ShardmanException> unreachable = new LinkedHashMap<>();
        superConninfoByNode.keySet().forEach(name -> {
            if (failures.containsKey(name)) {
                unreachable.put(name, failures.get(name));
            } else {
                reached.put(name, open.get(key(name)));
            }
        });
        return NodeSessions.borrowed(reached, unreachable);
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
        return open.computeIfAbsent(key(name), key -> factory.connect(ConnectionTarget.node(name, superConninfo)));
    }

    private static String key(String node) {
        return "node " + node;
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
