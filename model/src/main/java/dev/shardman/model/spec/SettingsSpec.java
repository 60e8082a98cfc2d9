package dev.shardman.model.spec;

import static java.util.Objects.requireNonNull;

/**
 * Cluster-wide settings of the spec; every one has a default, so an absent {@code settings:} block
 * is {@link #defaults()}.
 *
 * @param syncReplication replicas acknowledge each commit before it returns (default false)
 * @param defaultPartitions partition count of a sharded table that omits {@code partitions} (default 12)
 * @param maxReplicationLagBytes drift-check reports a replication slot whose lag exceeds it (default 64 MiB)
 */
public record SettingsSpec(boolean syncReplication, int defaultPartitions, long maxReplicationLagBytes, Positions positions) {
    public static final int DEFAULT_PARTITIONS = 12;
    public static final long DEFAULT_MAX_REPLICATION_LAG_BYTES = 64L * 1024 * 1024;

    public SettingsSpec {
        requireNonNull(positions, "positions is null");
    }

    public static SettingsSpec defaults() {
        return new SettingsSpec(false, DEFAULT_PARTITIONS, DEFAULT_MAX_REPLICATION_LAG_BYTES, Positions.UNKNOWN);
    }
}
