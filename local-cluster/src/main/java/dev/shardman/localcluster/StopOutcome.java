package dev.shardman.localcluster;

/** What {@code down} did to one instance. */
public enum StopOutcome {
    /** The server was running and {@code down} stopped it (fast shutdown). */
    STOPPED,
    /** The server was not running; nothing was done. */
    NOT_RUNNING,
}
