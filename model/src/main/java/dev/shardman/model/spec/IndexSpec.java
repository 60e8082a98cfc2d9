package dev.shardman.model.spec;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A secondary index of a table; on sharded tables it exists on each local partition and replica. */
public record IndexSpec(String name, List<String> columns, boolean unique, Positions positions) {
    public IndexSpec {
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(positions, "positions is null");
    }
}
