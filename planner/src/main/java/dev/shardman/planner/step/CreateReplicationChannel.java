package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Creates the publication on {@code source} and the subscription on {@code destination} that carry the partitions {@code destination} replicates from {@code source}. */
public record CreateReplicationChannel(String replicationGroup, String source, String destination) implements Step {
    public CreateReplicationChannel {
        requireNonNull(replicationGroup, "replicationGroup is null");
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
    }

    @Override
    public StepId id() {
        return StepId.of("create-replication-channel", source + "->" + destination);
    }

    @Override
    public Action action() {
        return Action.CREATE;
    }

    @Override
    public String subject() {
        return "replication group " + replicationGroup;
    }

    @Override
    public List<String> nodes() {
        return StepKinds.sorted(List.of(source, destination));
    }

    @Override
    public String describe() {
        return "replication channel " + source + " → " + destination + " will be created";
    }

    @Override
    public void applyTo(ProjectedState state) {
        // a channel follows from the replicas: the metadata does not change
    }
}
