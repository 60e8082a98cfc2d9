package dev.shardman.localcluster;

/** What {@code up} did to one instance. */
public enum StartOutcome {
    /** The server was stopped (or never created) and {@code up} started it. */
    STARTED,
    /** The server was already running; {@code up} left it alone. */
    ALREADY_RUNNING,
}
