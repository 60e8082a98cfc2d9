package dev.shardman.applier.objects;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A column of a sharded parent: type and default are SQL text (spec text when expected, format_type/pg_get_expr when observed). */
public record Column(String name, String type, boolean nullable, Optional<String> defaultExpression) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultExpression, "defaultExpression is null");
    }

    /** Same type, nullability and default once both sides are normalised (see {@link SqlText}). */
    public boolean sameDefinitionAs(Column other) {
        return name.equals(other.name)
                && SqlText.sameType(type, other.type)
                && nullable == other.nullable
                && SqlText.sameDefault(defaultExpression, other.defaultExpression);
    }
}
