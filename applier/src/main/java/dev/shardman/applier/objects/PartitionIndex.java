package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A secondary index of a sharded table, created on each local partition by shardman itself (not
 * through a parent index) and named {@code <index>_<n>}; the parent has no index.
 */
public record PartitionIndex(TableName table, String name, List<String> columns, boolean unique) implements NodeObject {
    public PartitionIndex {
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    /** {@code <index>_<n>} for the index of partition n. */
    public static String nameFor(String indexName, int partitionIndex) {
        return DerivedNames.partitionIndex(indexName, partitionIndex);
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.PARTITION_INDEX, table.sibling(name).toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitPartitionIndex(this);
    }

    @Override
    public String describe() {
        return (unique ? "unique index " : "index ") + name + " on " + table + " (" + String.join(", ", columns) + ")";
    }
}
