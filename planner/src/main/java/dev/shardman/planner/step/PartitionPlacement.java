package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Where a new table's partition {@code index} goes: its primary holder and its replica holders (sorted). */
public record PartitionPlacement(int index, String primary, List<String> replicas) {
    public PartitionPlacement {
        requireNonNull(primary, "primary is null");
        replicas = List.copyOf(requireNonNull(replicas, "replicas is null"));
        if (replicas.contains(primary)) {
            throw new IllegalArgumentException("two copies of partition " + index + " on " + primary);
        }
    }
}
