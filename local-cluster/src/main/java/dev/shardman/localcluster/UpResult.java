package dev.shardman.localcluster;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The cluster after {@code up}: every instance running; shardlord first, then w1..wN. */
public record UpResult(Path directory, PostgresMajorVersion postgresMajor, List<InstanceReport> instances) {
    public UpResult {
        requireNonNull(directory, "directory is null");
        requireNonNull(postgresMajor, "postgresMajor is null");
        instances = List.copyOf(instances);
    }

    /** True when {@code up} found every instance running and changed nothing. */
    public boolean alreadyRunning() {
        return instances.stream().allMatch(instance -> instance.outcome() == StartOutcome.ALREADY_RUNNING);
    }
}
