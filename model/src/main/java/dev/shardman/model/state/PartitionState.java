package dev.shardman.model.state;

import dev.shardman.model.DerivedNames;

import static java.util.Objects.requireNonNull;

/**
 * Partition {@code index} of a sharded table and the node that holds its primary (writable) copy.
 * Its name is {@code <table>_<index>}.
 */
public record PartitionState(String table, int index, String node) {
    public PartitionState {
        requireNonNull(table, "table is null");
        requireNonNull(node, "node is null");
        if (index < 0) {
            throw new IllegalArgumentException("partition index must not be negative: " + table + " " + index);
        }
    }

    public static String name(String table, int index) {
        return DerivedNames.partition(table, index);
    }

    public String name() {
        return name(table, index);
    }

    public PartitionState withNode(String newNode) {
        return new PartitionState(table, index, newNode);
    }
}
