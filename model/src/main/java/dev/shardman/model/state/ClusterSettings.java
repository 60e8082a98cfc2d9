package dev.shardman.model.state;

import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.spec.SettingsSpec;

import static java.util.Objects.requireNonNull;

/**
 * The recorded cluster-wide settings that shape what the nodes hold or how they are checked: applied
 * by a plan step like any other change, so that apply and drift-check act on what was applied, not on
 * a spec edited since. Client-side settings (timeouts of this process) are not recorded.
 *
 * @param syncReplication each source's {@code synchronous_standby_names} lists its shardman subscriptions
 * @param maxReplicationLagBytes drift-check reports a replication slot whose lag exceeds it
 * @param failover whether the monitor fails over an unreachable node on its own, and after how long
 */
public record ClusterSettings(boolean syncReplication, long maxReplicationLagBytes, FailoverSettings failover) {
    /** What a cluster recorded before settings were stored, and what an absent {@code settings:} block means. */
    public static final ClusterSettings DEFAULTS = new ClusterSettings(false, SettingsSpec.DEFAULT_MAX_REPLICATION_LAG_BYTES,
            FailoverSettings.DEFAULTS);

    public ClusterSettings {
        requireNonNull(failover, "failover is null");
        if (maxReplicationLagBytes < 0) {
            throw new IllegalArgumentException("maxReplicationLagBytes must not be negative: " + maxReplicationLagBytes);
        }
    }

    /** The recorded form of the spec's settings. */
    public static ClusterSettings of(SettingsSpec spec) {
        return new ClusterSettings(spec.syncReplication(), spec.maxReplicationLagBytes(), spec.failover());
    }
}
