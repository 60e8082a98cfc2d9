package dev.shardman.applier.failover;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * A node the monitor could not reach at its last poll.
 *
 * @param unreachableFor since the first poll that failed to reach it, without a successful one since
 */
public record UnreachableNode(String name, Duration unreachableFor) {
    public UnreachableNode {
        requireNonNull(name, "name is null");
        requireNonNull(unreachableFor, "unreachableFor is null");
        if (unreachableFor.isNegative()) {
            throw new IllegalArgumentException("unreachableFor must not be negative: " + unreachableFor);
        }
    }
}
