package dev.shardman.model.spec;

import static java.util.Objects.requireNonNull;

/**
 * Cluster-wide settings of the spec; every one has a default, so an absent {@code settings:} block
 * is {@link #defaults()}.
 *
 * @param syncReplication replicas acknowledge each commit before it returns (default false)
 * @param defaultPartitions partition count of a sharded table that omits {@code partitions} (default 12)
 */
public record SettingsSpec(boolean syncReplication, int defaultPartitions, Positions positions) {
    public static final int DEFAULT_PARTITIONS = 12;

    public SettingsSpec {
        requireNonNull(positions, "positions is null");
    }

    public static SettingsSpec defaults() {
        return new SettingsSpec(false, DEFAULT_PARTITIONS, Positions.UNKNOWN);
    }
}
