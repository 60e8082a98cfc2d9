package dev.shardman.planner.step;

import dev.shardman.model.state.PartitionState;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Partition {@code index} of a colocation group: the anchor table first, then the tables colocated
 * with it. Its partitions always sit together, so they are placed and moved as one unit.
 */
public record PartitionUnit(List<String> tables, int index) {
    public PartitionUnit {
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
        if (tables.isEmpty() || index < 0) {
            throw new IllegalArgumentException("a partition unit needs at least one table and a non-negative index");
        }
    }

    public String anchor() {
        return tables.get(0);
    }

    /** The anchor's partition name, used in step ids. */
    public String name() {
        return PartitionState.name(anchor(), index);
    }

    public List<String> partitionNames() {
        return tables.stream().map(table -> PartitionState.name(table, index)).toList();
    }

    /** "customers_3" or "customers_3, orders_3". */
    public String describe() {
        return String.join(", ", partitionNames());
    }
}
