package dev.shardman.localcluster;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Every instance of the cluster in {@code directory}; shardlord first, then w1..wN. */
public record ClusterStatus(Path directory, PostgresMajorVersion postgresMajor, List<InstanceStatus> instances) {
    public ClusterStatus {
        requireNonNull(directory, "directory is null");
        requireNonNull(postgresMajor, "postgresMajor is null");
        instances = List.copyOf(instances);
    }

    public boolean allRunning() {
        return instances.stream().allMatch(InstanceStatus::running);
    }

    public boolean allStopped() {
        return instances.stream().noneMatch(InstanceStatus::running);
    }
}
