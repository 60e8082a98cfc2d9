package dev.shardman.model.state;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One column of a table as recorded in the metadata; {@code defaultExpression} is SQL as written in the spec. */
public record ColumnState(String name, String type, boolean nullable, Optional<String> defaultExpression) {
    public ColumnState {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultExpression, "defaultExpression is null");
    }
}
