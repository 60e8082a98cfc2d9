package dev.shardman.applier.exec;

import dev.shardman.applier.connect.ConnectionTarget;

import static java.util.Objects.requireNonNull;

/**
 * A database exec runs on: a node (its super_conninfo) or the shardlord.
 *
 * @param gidSuffix the last part of its prepared transaction's gid: the node id, or {@code shardlord}
 */
record ExecTarget(String name, ConnectionTarget connection, String gidSuffix) {
    static final String SHARDLORD = "shardlord";

    ExecTarget {
        requireNonNull(name, "name is null");
        requireNonNull(connection, "connection is null");
        requireNonNull(gidSuffix, "gidSuffix is null");
    }
}
