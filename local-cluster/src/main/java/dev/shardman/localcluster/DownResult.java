package dev.shardman.localcluster;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The cluster after {@code down}: no postmaster of {@code directory} is left. Empty when there was no cluster. */
public record DownResult(Path directory, List<InstanceStop> instances) {
    public DownResult {
        requireNonNull(directory, "directory is null");
        instances = List.copyOf(instances);
    }

    /** True when nothing was running, so {@code down} changed nothing. */
    public boolean alreadyStopped() {
        return instances.stream().allMatch(instance -> instance.outcome() == StopOutcome.NOT_RUNNING);
    }
}
