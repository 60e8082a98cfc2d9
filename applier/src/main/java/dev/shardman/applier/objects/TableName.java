package dev.shardman.applier.objects;

import static java.util.Objects.requireNonNull;

/** A schema-qualified relation name, unquoted; {@link #toString()} is {@code schema.name} for display only. */
public record TableName(String schema, String name) {
    public TableName {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
    }

    /** The same schema, another relation name (a partition of this parent, say). */
    public TableName sibling(String otherName) {
        return new TableName(schema, otherName);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
