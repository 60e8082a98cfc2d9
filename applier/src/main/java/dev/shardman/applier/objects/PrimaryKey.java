package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The primary key of a local partition: constraint (and index) {@code t_n_pkey} on the table's key columns. */
public record PrimaryKey(TableName table, String name, List<String> columns) implements NodeObject {
    public static final String SUFFIX = DerivedNames.PRIMARY_KEY_SUFFIX;

    public PrimaryKey {
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    public static String nameFor(String partitionName) {
        return DerivedNames.primaryKey(partitionName);
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.PRIMARY_KEY, table.sibling(name).toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitPrimaryKey(this);
    }

    @Override
    public String describe() {
        return "primary key " + name + " on " + table + " (" + String.join(", ", columns) + ")";
    }
}
