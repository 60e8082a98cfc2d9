package dev.shardman.applier.replication;

import static java.util.Objects.requireNonNull;

/** {@code schema.name}, unquoted; ordered by schema then name. */
public record QualifiedTable(String schema, String name) implements Comparable<QualifiedTable> {
    public QualifiedTable {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
    }

    @Override
    public int compareTo(QualifiedTable other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
