package dev.shardman.model.spec;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * {@code settings.failover}: whether {@code shardman monitor} fails over a node on its own, and after how long.
 *
 * @param automatic true: a node unreachable for {@code after} is failed over as if the spec marked it {@code lost: true}
 *                  (never one whose primaries have no replica); false (default): the monitor only reports it
 * @param after how long a node must stay unreachable first, at least {@link #MINIMUM_AFTER} (default 60 s)
 */
public record FailoverSettings(boolean automatic, Duration after) {
    public static final Duration DEFAULT_AFTER = Duration.ofSeconds(60);
    /**
     * A lost node never comes back under its name, so a restart or a network blip must not be taken for a death: the
     * node must miss at least one poll of the monitor's default 5 s interval, plus a connect attempt.
     */
    public static final Duration MINIMUM_AFTER = Duration.ofSeconds(5);
    /** Beyond a day a person decides: the setting would only hide a node that is down. */
    public static final Duration MAXIMUM_AFTER = Duration.ofDays(1);
    public static final FailoverSettings DEFAULTS = new FailoverSettings(false, DEFAULT_AFTER);

    public FailoverSettings {
        requireNonNull(after, "after is null");
        if (after.compareTo(MINIMUM_AFTER) < 0 || after.compareTo(MAXIMUM_AFTER) > 0) {
            throw new IllegalArgumentException("failover after must be between " + MINIMUM_AFTER + " and " + MAXIMUM_AFTER + ": " + after);
        }
    }

    /** e.g. {@code automatic after 60s} or {@code manual}. */
    public String describe() {
        return automatic ? "automatic after " + after.toSeconds() + "s" : "manual";
    }
}
