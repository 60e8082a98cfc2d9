package dev.shardman.localcluster;

import java.nio.file.Path;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One instance as {@code status} sees it.
 *
 * @param pid the postmaster's process id; empty when stopped
 * @param serverVersion reported by the running server, else the one recorded when it last
 *     started, else the major version of its data directory
 */
public record InstanceStatus(
        String name, int port, Path dataDirectory, InstanceState state, OptionalLong pid, String serverVersion) {
    public InstanceStatus {
        requireNonNull(name, "name is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(state, "state is null");
        requireNonNull(pid, "pid is null");
        requireNonNull(serverVersion, "serverVersion is null");
    }

    public boolean running() {
        return state == InstanceState.RUNNING;
    }

    /** The libpq connection string of this instance's {@code postgres} database. */
    public String conninfo() {
        return Conninfo.of(port, "postgres");
    }
}
