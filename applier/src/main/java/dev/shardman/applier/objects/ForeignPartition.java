package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A foreign table {@code t_n_fdw} attached in slot n, reading {@code remoteSchema.remoteTable}
 * ({@code t_n}) through {@code server} ({@code shardman_node_<holder id>}). {@code columnOptions}: per-column FDW
 * options found on it (shardman sets none: a {@code column_name} would read and write one column as another).
 */
public record ForeignPartition(TableName table, Optional<PartitionSlot> slot, String server, String remoteSchema, String remoteTable,
                               List<String> columnOptions)
        implements NodeObject {
    public static final String SUFFIX = DerivedNames.FOREIGN_SUFFIX;

    public ForeignPartition {
        requireNonNull(table, "table is null");
        requireNonNull(slot, "slot is null");
        requireNonNull(server, "server is null");
        requireNonNull(remoteSchema, "remoteSchema is null");
        requireNonNull(remoteTable, "remoteTable is null");
        columnOptions = List.copyOf(requireNonNull(columnOptions, "columnOptions is null"));
    }

    /** As shardman creates it: no column options. */
    public ForeignPartition(TableName table, Optional<PartitionSlot> slot, String server, String remoteSchema, String remoteTable) {
        this(table, slot, server, remoteSchema, remoteTable, List.of());
    }

    /** {@code t_n_fdw} for partition {@code t_n}. */
    public static String nameFor(String partitionName) {
        return DerivedNames.foreign(partitionName);
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.FOREIGN_PARTITION, table.toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitForeignPartition(this);
    }

    @Override
    public String describe() {
        return "foreign partition " + table + " -> " + remoteSchema + "." + remoteTable + " on " + server
                + slot.map(value -> " attached as " + value).orElse(" (detached)");
    }
}
