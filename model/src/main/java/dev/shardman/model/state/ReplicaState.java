package dev.shardman.model.state;

import static java.util.Objects.requireNonNull;

/** A read-only copy of partition {@code partition} (its name, {@code <table>_<index>}) held by {@code node}. */
public record ReplicaState(String partition, String node) {
    public ReplicaState {
        requireNonNull(partition, "partition is null");
        requireNonNull(node, "node is null");
    }
}
