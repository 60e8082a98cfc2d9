package dev.shardman.applier.objects;

import static java.util.Objects.requireNonNull;

/** A schema-qualified relation name, unquoted, ordered by schema then name; {@link #toString()} is {@code schema.name} for display only. */
public record TableName(String schema, String name) implements Comparable<TableName> {
    public TableName {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
    }

    /** The same schema, another relation name (a partition of this parent, say). */
    public TableName sibling(String otherName) {
        return new TableName(schema, otherName);
    }

    @Override
    public int compareTo(TableName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
