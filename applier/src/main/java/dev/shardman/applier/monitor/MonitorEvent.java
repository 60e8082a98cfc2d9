package dev.shardman.applier.monitor;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * One thing the monitor reports: what happened, where, in words, and the figures behind it (for {@code --json}).
 * {@link Kind#healthy()} says whether the event leaves the cluster healthy ({@code --once} exits 2 otherwise); a suspected
 * deadlock is, until the next poll confirms it.
 */
public record MonitorEvent(Instant time, Kind kind, Optional<String> node, String message, Map<String, Object> details) {
    public enum Kind {
        NODE_DOWN(false),
        NODE_STILL_DOWN(false),
        NODE_UP(true),
        SHARDLORD_DOWN(false),
        DEADLOCK_SUSPECTED(true),
        DEADLOCK_RESOLVED(false),
        DEADLOCK_CANCEL_FAILED(false),
        PREPARED_TRANSACTION_STALE(false),
        PREPARED_TRANSACTION_RESOLVED(false),
        FAILOVER_DECISION(false),
        CHANNEL_DOWN(false),
        CHANNEL_UP(true),
        REPLICATION_LAG(false),
        MOVE_STUCK(false),
        NODE_FAILED_OVER(false),
        LEASE_ACQUIRED(true),
        STANDBY(true);

        private final boolean healthy;

        Kind(boolean healthy) {
            this.healthy = healthy;
        }

        public boolean healthy() {
            return healthy;
        }
    }

    public MonitorEvent {
        requireNonNull(time, "time is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(node, "node is null");
        requireNonNull(message, "message is null");
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    static MonitorEvent of(Kind kind, String node, String message, Map<String, Object> details) {
        return new MonitorEvent(Instant.now(), kind, Optional.ofNullable(node), message, details);
    }
}
