package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Whether a registered node's conninfo still reaches the server that was registered: the system identifier recorded at
 * registration against the server's now. A server re-created empty at the same address (a lost disk, a new machine)
 * answers with another one, and repairing it to the metadata would create its partitions empty and serve them as
 * primaries; so plan, apply and recover refuse it until the node is marked lost or the operator accepts the server
 * ({@code recover --accept-server}: pg_upgrade and a restored dump also give a server a new identifier).
 */
final class NodeIdentity {
    static final String QUERY = "SELECT system_identifier::text FROM pg_catalog.pg_control_system()";

    private NodeIdentity() {
    }

    static String read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(QUERY)) {
            row.next();
            return row.getString(1);
        }
    }

    /** The problem of {@code node} answering with {@code live}, if it has one (none when no identifier was recorded). */
    static Optional<String> problem(NodeState node, String live) {
        return node.systemIdentifier().filter(recorded -> !recorded.equals(live)).map(recorded -> node.name()
                + " is not the server registered as " + node.name() + ": its system identifier is " + live + ", the metadata recorded "
                + recorded + " (a server re-created or replaced, or a conninfo that points elsewhere), so its partitions are not"
                + " there and repairing it would create them empty; if the server is lost, mark " + node.name() + " lost: true and"
                + " apply (its partitions fail over to their replicas); if it holds " + node.name() + "'s data under a new identifier"
                + " (pg_upgrade, a restored dump), run shardman recover --accept-server " + node.name());
    }

    /** Refuses (nothing done yet) when one of {@code nodes} answers as another server. */
    static void require(List<NodeState> nodes, LiveNodes connections) throws SQLException {
        for (NodeState node : nodes) {
            Optional<String> problem = problem(node, read(connections.connect(node)));
            if (problem.isPresent()) {
                throw new ShardmanException(ErrorCode.REFUSED, problem.get(), "nothing was repaired");
            }
        }
    }
}
