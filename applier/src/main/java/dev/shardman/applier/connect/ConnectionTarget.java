package dev.shardman.applier.connect;

import static java.util.Objects.requireNonNull;

/**
 * What to connect to: a name for messages ("the shardlord", "node w1") and a libpq conninfo as
 * written in the spec or the metadata (it may hold {@code ${env:NAME}} references).
 * {@link #toString()} never shows the conninfo, which may hold a password once resolved.
 */
public record ConnectionTarget(String displayName, String conninfo) {
    public ConnectionTarget {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(conninfo, "conninfo is null");
    }

    public static ConnectionTarget shardlord(String conninfo) {
        return new ConnectionTarget("the shardlord", conninfo);
    }

    public static ConnectionTarget node(String name, String conninfo) {
        return new ConnectionTarget("node " + name, conninfo);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
