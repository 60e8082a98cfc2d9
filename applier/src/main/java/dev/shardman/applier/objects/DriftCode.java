package dev.shardman.applier.objects;

/**
 * The closed set of kinds of drift-check finding: what a JSON consumer matches on (the {@code problem} text beside
 * it is for people and may be reworded). Documented in docs/operations.md, listed in drift-check's JSON schema.
 */
public enum DriftCode {
    /** An expected object is absent. */
    MISSING("missing"),
    /** An object of shardman's that the metadata does not call for. */
    UNEXPECTED("unexpected"),
    /** The object exists with another definition (options, columns, attachment, publication tables, a setting). */
    DIFFERS("differs"),
    /** A subscription that exists but is disabled. */
    DISABLED("disabled"),
    /** A subscription or user mapping whose connection (host, port, TLS, password) is not the one its conninfo resolves to now. */
    STALE_CONNECTION("stale-connection"),
    /** A foreign server that cannot connect to its peer. */
    PEER_UNREACHABLE("peer-unreachable"),
    /** A subscription whose apply worker is not running. */
    WORKER_NOT_RUNNING("worker-not-running"),
    /** Synchronous replicas that are not streaming: commits on the node wait. */
    REPLICAS_NOT_STREAMING("replicas-not-streaming"),
    /** A replication slot whose lag is above {@code max_replication_lag_bytes}. */
    REPLICATION_LAG("replication-lag"),
    /** A move in progress, or stopped on a verification mismatch. */
    MOVE_IN_FLIGHT("move-in-flight"),
    /** A {@code shardman_move_} object that belongs to no move in flight. */
    MOVE_LEFTOVER("move-leftover"),
    /** A node whose address reaches another server than the one registered (a re-created server): recover refuses it. */
    OTHER_SERVER("other-server"),
    /** Part of a node could not be inspected. */
    UNREADABLE("unreadable");

    private final String code;

    DriftCode(String code) {
        this.code = code;
    }

    /** The code as JSON and the docs spell it. */
    public String code() {
        return code;
    }

    /** The kind of an object difference: a stale password of a user mapping is a stale connection, not a mere difference. */
    public static DriftCode of(ObjectChange change) {
        return switch (change.action()) {
            case CREATE -> MISSING;
            case DROP -> UNEXPECTED;
            case ALTER, REPLACE -> stalePassword(change) ? STALE_CONNECTION : DIFFERS;
        };
    }

    private static boolean stalePassword(ObjectChange change) {
        return change.expected().orElseThrow() instanceof UserMapping expected && change.observed().orElseThrow() instanceof UserMapping observed
                && Mismatches.stalePassword(expected, observed);
    }
}
