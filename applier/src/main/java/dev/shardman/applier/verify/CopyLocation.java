package dev.shardman.applier.verify;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One copy of a table's rows to read: the relation {@code schema.relation} on {@code node}, read with
 * {@code columns} in the table's column order from the metadata (the same text on every copy).
 */
record CopyLocation(String node, String schema, String relation, List<String> columns) {
    CopyLocation {
        requireNonNull(node, "node is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(relation, "relation is null");
        columns = List.copyOf(columns);
    }

    String describe() {
        return schema + "." + relation + " on " + node;
    }
}
