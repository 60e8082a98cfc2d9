package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Drops a publication/subscription pair that no replica needs any more (for a dead publisher: DISABLE, slot_name NONE, DROP). */
public record DropReplicationChannel(String replicationGroup, String source, String destination) implements Step {
    public DropReplicationChannel {
        requireNonNull(replicationGroup, "replicationGroup is null");
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
    }

    @Override
    public StepId id() {
        return StepId.of("drop-replication-channel", source + "->" + destination);
    }

    @Override
    public Action action() {
        return Action.DELETE;
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
        return "replication channel " + source + " → " + destination + " will be dropped";
    }

    @Override
    public void applyTo(ProjectedState state) {
        // a channel follows from the replicas: the metadata does not change
    }
}
