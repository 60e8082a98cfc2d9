package dev.shardman.applier.verify;

import static java.util.Objects.requireNonNull;

/**
 * The first reading of a source copy: partition {@code name} of sharded table {@code table} on the
 * node holding its primary, or a shared table's rows ({@code name} = {@code table}) on its master.
 * Listed for every partition, also those without replicas, so that the report accounts for every row.
 */
public record SourceFigure(Comparison.Kind kind, String table, String name, String node, TableChecksum figure) {
    public SourceFigure {
        requireNonNull(kind, "kind is null");
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        requireNonNull(node, "node is null");
        requireNonNull(figure, "figure is null");
    }
}
