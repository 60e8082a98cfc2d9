package dev.shardman.model.spec;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One column of a table.
 *
 * @param type the SQL type as written (e.g. {@code bigint}, {@code numeric(10,2)}); never empty
 * @param nullable as declared (default true); primary key columns are NOT NULL whatever this says
 * @param defaultExpression an SQL expression, as written
 */
public record ColumnSpec(
        String name,
        String type,
        boolean nullable,
        Optional<String> defaultExpression,
        Positions positions) {

    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultExpression, "defaultExpression is null");
        requireNonNull(positions, "positions is null");
    }
}
