package dev.shardman.localcluster;

import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One instance after {@code down}: its postmaster is gone.
 *
 * @param pid the process id that was stopped; empty when the server was not running
 */
public record InstanceStop(String name, int port, StopOutcome outcome, OptionalLong pid) {
    public InstanceStop {
        requireNonNull(name, "name is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(pid, "pid is null");
    }
}
