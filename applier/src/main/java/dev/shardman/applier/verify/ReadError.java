package dev.shardman.applier.verify;

import static java.util.Objects.requireNonNull;

/**
 * A copy that could not be read: {@code node} (unreachable, or the query failed), {@code object} the
 * relation (or "the node" when it could not be reached at all), {@code reason} the server's message
 * (connection errors come scrubbed of secrets by the ConnectionFactory).
 */
public record ReadError(String node, String object, String reason) {
    public ReadError {
        requireNonNull(node, "node is null");
        requireNonNull(object, "object is null");
        requireNonNull(reason, "reason is null");
    }
}
