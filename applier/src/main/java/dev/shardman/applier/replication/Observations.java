package dev.shardman.applier.replication;

import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The replication objects of each node, inspected once per pass of the channel reconciler and again only after the
 * pass changed that node ({@link #changed}): a pass looked at the source and the destination of every channel, so the
 * same node was inspected once per channel it takes part in (about twice the number of channels, which grows with the
 * square of the nodes), and that dominated a data move's fixed cost on a 10-node cluster.
 */
final class Observations {
    private final Function<NodeState, Connection> connections;
    private final ReplicationInspector inspector;
    private final Map<String, ObservedReplication> byNode = new HashMap<>();

    Observations(Function<NodeState, Connection> connections, ReplicationInspector inspector) {
        this.connections = connections;
        this.inspector = inspector;
    }

    ObservedReplication of(NodeState node) throws SQLException {
        ObservedReplication seen = byNode.get(node.name());
        if (seen == null) {
            seen = inspector.inspect(connections.apply(node), node.name());
            byNode.put(node.name(), seen);
        }
        return seen;
    }

    /** This pass changed {@code node}'s replication objects: the next look inspects it again. */
    void changed(NodeState node) {
        byNode.remove(node.name());
    }
}
