package dev.shardman.model.state;

import dev.shardman.model.spec.Grants;
import dev.shardman.model.spec.TableType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One table as recorded in the metadata. Sharded tables have a sharding key, a positive partition
 * count and a redundancy; shared tables have a master node, 0 partitions and redundancy 0.
 * {@code grants}: role → table privileges shardman grants on every node (see {@link Grants#sorted}).
 */
public record TableState(
        String name,
        String schema,
        TableType type,
        List<ColumnState> columns,
        List<String> primaryKey,
        List<IndexState> indexes,
        Optional<String> shardingKey,
        int partitions,
        int redundancy,
        Optional<String> colocateWith,
        Optional<String> master,
        Map<String, List<String>> grants) {

    public TableState {
        requireNonNull(name, "name is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(type, "type is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
        indexes = List.copyOf(requireNonNull(indexes, "indexes is null"));
        requireNonNull(shardingKey, "shardingKey is null");
        requireNonNull(colocateWith, "colocateWith is null");
        requireNonNull(master, "master is null");
        if (partitions < 0 || redundancy < 0) {
            throw new IllegalArgumentException("partitions and redundancy must not be negative for " + name);
        }
        grants = Grants.sorted(grants);
    }

    /** A table without grants. */
    public TableState(String name, String schema, TableType type, List<ColumnState> columns, List<String> primaryKey, List<IndexState> indexes,
                      Optional<String> shardingKey, int partitions, int redundancy, Optional<String> colocateWith, Optional<String> master) {
        this(name, schema, type, columns, primaryKey, indexes, shardingKey, partitions, redundancy, colocateWith, master, Map.of());
    }

    public boolean isSharded() {
        return type == TableType.SHARDED;
    }

    public Optional<ColumnState> column(String columnName) {
        return columns.stream().filter(column -> column.name().equals(columnName)).findFirst();
    }

    public TableState withColumns(List<ColumnState> newColumns) {
        return new TableState(name, schema, type, newColumns, primaryKey, indexes, shardingKey, partitions, redundancy, colocateWith, master, grants);
    }

    public TableState withIndexes(List<IndexState> newIndexes) {
        return new TableState(name, schema, type, columns, primaryKey, newIndexes, shardingKey, partitions, redundancy, colocateWith, master, grants);
    }

    public TableState withRedundancy(int newRedundancy) {
        return new TableState(name, schema, type, columns, primaryKey, indexes, shardingKey, partitions, newRedundancy, colocateWith, master, grants);
    }

    public TableState withGrants(Map<String, List<String>> newGrants) {
        return new TableState(name, schema, type, columns, primaryKey, indexes, shardingKey, partitions, redundancy, colocateWith, master, newGrants);
    }

    public TableState withMaster(String newMaster) {
        return new TableState(name, schema, type, columns, primaryKey, indexes, shardingKey, partitions, redundancy, colocateWith, Optional.of(newMaster), grants);
    }
}
