package dev.shardman.applier.monitor;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How the monitor runs.
 *
 * @param interval      the time between the starts of two polls
 * @param preparedAge   a shardman-prepared transaction older than this is reported
 */
public record MonitorOptions(Duration interval, Duration preparedAge) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PREPARED_AGE = Duration.ofMinutes(5);

    public MonitorOptions {
        requireNonNull(interval, "interval is null");
        requireNonNull(preparedAge, "preparedAge is null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive: " + interval);
        }
    }
}
