package dev.shardman.applier.failover;

import static java.util.Objects.requireNonNull;

/**
 * What the responder did about one unreachable node, for the monitor's events and metrics.
 *
 * @param message one sentence that names the node and, where the operator has something to do, what
 */
public record FailoverOutcome(String node, Kind kind, String message) {
    public FailoverOutcome {
        requireNonNull(node, "node is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(message, "message is null");
    }

    public enum Kind {
        /** settings.failover.automatic is off: reported only. */
        REPORTED_ONLY,
        /** Unreachable for less than settings.failover.after yet. */
        WAITING,
        /** A primary on it has no replica (or the failover would lose data otherwise): never failed over automatically. */
        REFUSED,
        /** Another apply, recover or monitor holds the cluster lock: tried again at the next poll. */
        LOCK_BUSY,
        /** It answered again when re-checked under the lock: nothing changed. */
        ANSWERS_AGAIN,
        /** Failed over: lost in the metadata, its partitions promoted on their replicas. */
        FAILED_OVER,
        /** Lost in the metadata already, with nothing of its failover left to do. */
        ALREADY_LOST,
        /** The failover started and stopped on an error; the next poll tries again (apply is resumable). */
        FAILED
    }
}
