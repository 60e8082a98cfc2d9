package dev.shardman.model.spec;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Cluster-wide settings of the spec; every one has a default, so an absent {@code settings:} block
 * is {@link #defaults()}.
 *
 * @param syncReplication replicas acknowledge each commit before it returns (default false)
 * @param defaultPartitions partition count of a sharded table that omits {@code partitions} (default 12)
 * @param maxReplicationLagBytes drift-check reports a replication slot whose lag exceeds it (default 64 MiB)
 * @param nodeTimeout how long shardman waits for a node (or the shardlord) to connect or answer one of its statements
 *                    (default 30 s); client-side only, so it is not part of the metadata
 * @param failover whether the monitor fails over an unreachable node on its own (default: no, it only reports it)
 * @param balance what the planner balances: partition counts (default) or sizes; client-side only, like {@code nodeTimeout}
 */
public record SettingsSpec(boolean syncReplication, int defaultPartitions, long maxReplicationLagBytes, Duration nodeTimeout,
                           FailoverSettings failover, BalanceSettings balance, Positions positions) {
    public static final int DEFAULT_PARTITIONS = 12;
    public static final long DEFAULT_MAX_REPLICATION_LAG_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(30);

    public SettingsSpec {
        requireNonNull(nodeTimeout, "nodeTimeout is null");
        requireNonNull(failover, "failover is null");
        requireNonNull(balance, "balance is null");
        requireNonNull(positions, "positions is null");
    }

    /** Settings that balance partition counts (the default). */
    public SettingsSpec(boolean syncReplication, int defaultPartitions, long maxReplicationLagBytes, Duration nodeTimeout,
                        FailoverSettings failover, Positions positions) {
        this(syncReplication, defaultPartitions, maxReplicationLagBytes, nodeTimeout, failover, BalanceSettings.DEFAULTS, positions);
    }

    public static SettingsSpec defaults() {
        return new SettingsSpec(false, DEFAULT_PARTITIONS, DEFAULT_MAX_REPLICATION_LAG_BYTES, DEFAULT_NODE_TIMEOUT, FailoverSettings.DEFAULTS, Positions.UNKNOWN);
    }

    /** These settings with another balance. */
    public SettingsSpec withBalance(BalanceSettings newBalance) {
        return new SettingsSpec(syncReplication, defaultPartitions, maxReplicationLagBytes, nodeTimeout, failover, newBalance, positions);
    }

    /** A duration as the spec writes one ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}), for options that take the same form. */
    public static java.util.Optional<Duration> parseDuration(String text) {
        return SettingsParser.parseDuration(text);
    }
}
