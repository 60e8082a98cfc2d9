package dev.shardman.applier.objects;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column of a sharded parent: type and default are SQL text (spec text when expected, format_type/pg_get_expr when
 * observed), so the diff compares them through {@link SqlText}, not by equals.
 */
public record Column(String name, String type, boolean nullable, Optional<String> defaultExpression) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultExpression, "defaultExpression is null");
    }
}
