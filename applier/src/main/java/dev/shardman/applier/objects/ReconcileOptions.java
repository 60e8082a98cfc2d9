package dev.shardman.applier.objects;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How a node is reconciled: {@code lockTimeout} bounds each lock wait (a busy table fails the
 * transaction instead of queueing writers behind it); without {@code allowDataLoss} a change that
 * drops rows (a local partition, a parent, a column) is refused and nothing runs.
 */
public record ReconcileOptions(Duration lockTimeout, boolean allowDataLoss) {
    public ReconcileOptions {
        requireNonNull(lockTimeout, "lockTimeout is null");
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be positive: " + lockTimeout);
        }
    }

    public static ReconcileOptions defaults() {
        return new ReconcileOptions(Duration.ofSeconds(5), false);
    }
}
