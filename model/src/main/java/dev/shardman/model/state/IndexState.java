package dev.shardman.model.state;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A secondary index of a table as recorded in the metadata. */
public record IndexState(String name, List<String> columns, boolean unique) {
    public IndexState {
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }
}
