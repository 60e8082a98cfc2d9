package dev.shardman.localcluster;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The cluster after {@code up}: every instance running; shardlord first, then w1..wN.
 *
 * @param addedWorkers the workers this {@code up} added to a cluster that had fewer (empty for a new cluster)
 */
public record UpResult(Path directory, PostgresMajorVersion postgresMajor, List<InstanceReport> instances, List<String> addedWorkers) {
    public UpResult {
        requireNonNull(directory, "directory is null");
        requireNonNull(postgresMajor, "postgresMajor is null");
        instances = List.copyOf(instances);
        addedWorkers = List.copyOf(addedWorkers);
    }

    /** The instances of {@link #addedWorkers}, in order. */
    public List<InstanceReport> added() {
        return instances.stream().filter(instance -> addedWorkers.contains(instance.name())).toList();
    }

    /** True when {@code up} found every instance running and changed nothing. */
    public boolean alreadyRunning() {
        return instances.stream().allMatch(instance -> instance.outcome() == StartOutcome.ALREADY_RUNNING);
    }
}
