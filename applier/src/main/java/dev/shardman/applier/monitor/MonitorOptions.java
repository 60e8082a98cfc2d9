package dev.shardman.applier.monitor;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How the monitor runs.
 *
 * @param interval      the time between the starts of two polls
 * @param preparedAge   a shardman-prepared transaction older than this is reported
 * @param lease         how long a renewal of the lease lasts ({@link MonitorLease}); longer than the interval
 */
public record MonitorOptions(Duration interval, Duration preparedAge, Duration lease) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PREPARED_AGE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    public MonitorOptions {
        requireNonNull(interval, "interval is null");
        requireNonNull(preparedAge, "preparedAge is null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive: " + interval);
        }
        requireNonNull(lease, "lease is null");
        if (lease.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("the lease (" + lease.toMillis() + " ms) must be longer than the interval ("
                    + interval.toMillis() + " ms), or the holder would lose it between two polls");
        }
    }
}
