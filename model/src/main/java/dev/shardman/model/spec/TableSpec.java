package dev.shardman.model.spec;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One table of the spec, sharded or shared.
 *
 * <p>Sharded tables have a sharding key, a partition count (the spec's value or
 * {@code settings.default_partitions}), a redundancy (default 0) and maybe an anchor table to
 * colocate with. Shared tables have a master node, no sharding key, partitions 0 and redundancy 0.
 * Every table has a primary key: logical replication (replicas, moves, shared copies) needs it as the
 * replica identity. {@code grants}: role → table privileges (upper case, sorted) that shardman
 * grants on every node; roles sorted. {@code placement}: the partitions pinned to named nodes, by partition
 * number (sharded anchor tables only; colocated tables follow their anchor's pins).
 */
public record TableSpec(
        String name,
        String schema,
        TableType type,
        List<ColumnSpec> columns,
        List<String> primaryKey,
        List<IndexSpec> indexes,
        Optional<String> shardingKey,
        int partitions,
        int redundancy,
        Optional<String> colocateWith,
        Optional<String> master,
        Positions positions,
        Map<String, List<String>> grants,
        List<PartitionPin> placement) {

    public static final String DEFAULT_SCHEMA = "public";

    public TableSpec {
        requireNonNull(name, "name is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(type, "type is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
        indexes = List.copyOf(requireNonNull(indexes, "indexes is null"));
        requireNonNull(shardingKey, "shardingKey is null");
        requireNonNull(colocateWith, "colocateWith is null");
        requireNonNull(master, "master is null");
        requireNonNull(positions, "positions is null");
        grants = Grants.sorted(grants);
        placement = requireNonNull(placement, "placement is null").stream().sorted(Comparator.comparingInt(PartitionPin::partition)).toList();
    }

    /** A table without pins. */
    public TableSpec(String name, String schema, TableType type, List<ColumnSpec> columns, List<String> primaryKey, List<IndexSpec> indexes,
                     Optional<String> shardingKey, int partitions, int redundancy, Optional<String> colocateWith, Optional<String> master,
                     Positions positions, Map<String, List<String>> grants) {
        this(name, schema, type, columns, primaryKey, indexes, shardingKey, partitions, redundancy, colocateWith, master, positions, grants, List.of());
    }

    /** A table without grants. */
    public TableSpec(String name, String schema, TableType type, List<ColumnSpec> columns, List<String> primaryKey, List<IndexSpec> indexes,
                     Optional<String> shardingKey, int partitions, int redundancy, Optional<String> colocateWith, Optional<String> master,
                     Positions positions) {
        this(name, schema, type, columns, primaryKey, indexes, shardingKey, partitions, redundancy, colocateWith, master, positions, Map.of(), List.of());
    }

    public boolean isSharded() {
        return type == TableType.SHARDED;
    }

    public Optional<ColumnSpec> column(String columnName) {
        return columns.stream().filter(column -> column.name().equals(columnName)).findFirst();
    }
}
