package dev.shardman.applier.objects;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The parent of a sharded table: {@code schema.t (columns) PARTITION BY HASH (hashKey)}, with no
 * primary key or unique index (a parent with one cannot have foreign partitions). An observed
 * relation that is not hash-partitioned on one column has {@code hashKey} {@link #NOT_HASH_PARTITIONED}.
 */
public record ParentTable(TableName table, List<Column> columns, String hashKey) implements NodeObject {
    public static final String NOT_HASH_PARTITIONED = "(not hash partitioned on one column)";

    public ParentTable {
        requireNonNull(table, "table is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(hashKey, "hashKey is null");
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.PARENT_TABLE, table.toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitParentTable(this);
    }

    @Override
    public String describe() {
        return "sharded table " + table + " partitioned by hash (" + hashKey + ")";
    }
}
