package dev.shardman.applier.connect;

import dev.shardman.model.ShardmanException;

import java.sql.Connection;
import java.util.Optional;

/** One try to open a node's session: the session, or why the node could not be reached. */
record ConnectAttempt(String node, Optional<Connection> connection, Optional<ShardmanException> failure) {
    static ConnectAttempt of(ConnectionFactory factory, String node, String superConninfo) {
        try {
            return new ConnectAttempt(node, Optional.of(factory.connect(ConnectionTarget.node(node, superConninfo))), Optional.empty());
        } catch (ShardmanException unreachable) {
            return new ConnectAttempt(node, Optional.empty(), Optional.of(unreachable));
        }
    }
}
