package dev.shardman.applier.connect;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The bounds of every shardman session, derived from {@code settings.node_timeout}:
 * <ul>
 *   <li>{@code connect}: establishing the session (TCP and login), unless the conninfo's {@code connect_timeout} says otherwise;</li>
 *   <li>{@code node}: the server cancels any one statement after it ({@code statement_timeout}, so that a slow statement on a
 *       healthy node ends with the server's own error and releases its locks at once);</li>
 *   <li>{@link #socketRead()}: the client gives up on a node that sends nothing for a little longer (pgjdbc's socket timeout),
 *       which is what ends a wait on a hung node (SIGSTOP, partition, full disk) whose server cannot cancel anything;
 *       TCP keepalive is on as well, so that a dead peer is noticed by the kernel even between statements;</li>
 *   <li>{@code lock}: when present, the server's {@code lock_timeout} (read-only commands).</li>
 * </ul>
 * A single statement that may legitimately run longer (a checksum of a big partition) uses {@link LongStatement}.
 */
public record SessionTimeouts(Duration connect, Duration node, Optional<Duration> lock) {
    /** The grace between the server's statement_timeout and the client's socket timeout, at most this much. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    public SessionTimeouts {
        requireNonNull(connect, "connect is null");
        requireNonNull(node, "node is null");
        requireNonNull(lock, "lock is null");
        if (node.isZero() || node.isNegative()) {
            throw new IllegalArgumentException("the node timeout must be positive: " + node);
        }
    }

    /** Without a lock bound of their own: a statement waits for a lock as long as it may run. */
    public SessionTimeouts(Duration connect, Duration node) {
        this(connect, node, Optional.empty());
    }

    /**
     * These bounds with {@code lock_timeout = lock}: for reads that must not wait behind a lock a session or a prepared
     * transaction holds (drift-check, status), which would otherwise look like a node that does not answer.
     */
    public SessionTimeouts withLockTimeout(Duration lock) {
        return new SessionTimeouts(connect, node, Optional.of(lock));
    }

    /** How long the client waits for any answer: the node timeout plus a grace (min(node, 5 s)) for the server's own cancel. */
    public Duration socketRead() {
        return node.plus(node.compareTo(GRACE) < 0 ? node : GRACE);
    }

    /** True when {@code failure} (or a cause) is a socket read timeout: the node sent nothing for {@link #socketRead()}. */
    public static boolean isSilence(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static int milliseconds(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    /** Whole seconds, rounded up (pgjdbc's timeout properties count seconds). */
    static long secondsRoundedUp(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
