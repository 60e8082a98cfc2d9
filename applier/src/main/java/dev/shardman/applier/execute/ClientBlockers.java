package dev.shardman.applier.execute;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What a failover does about client sessions whose locks it needs: retries for {@code lockWait} and then fails naming them
 * ({@code apply --lock-wait}), or terminates them after its first attempt ({@code --cancel-blockers}).
 */
public record ClientBlockers(boolean cancel, Duration lockWait) {
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    /** Waits 60 s and terminates nobody. */
    public static final ClientBlockers WAITED_FOR = new ClientBlockers(false, DEFAULT_WAIT);

    public ClientBlockers {
        requireNonNull(lockWait, "lockWait is null");
        if (lockWait.isNegative() || lockWait.isZero()) {
            throw new IllegalArgumentException("the wait for client locks must be positive: " + lockWait);
        }
    }
}
