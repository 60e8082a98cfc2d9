package dev.shardman.applier.objects;

import org.postgresql.core.Utils;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** Quotes identifiers and literals with pgjdbc's escaping, in Java, before they reach a template (the reconciler's and the moves'). */
public final class SqlNames {
    private SqlNames() {
    }

    public static String identifier(String name) {
        try {
            return Utils.escapeIdentifier(null, name).toString();
        } catch (SQLException invalid) {
            throw new IllegalArgumentException("invalid identifier (contains a NUL character)", invalid);
        }
    }

    static String identifiers(List<String> names) {
        return names.stream().map(SqlNames::identifier).collect(Collectors.joining(", "));
    }

    public static String qualified(TableName table) {
        return identifier(table.schema()) + "." + identifier(table.name());
    }

    /** A standard-conforming string literal, quotes included. */
    public static String literal(String value) {
        try {
            return "'" + Utils.escapeLiteral(null, value, true) + "'";
        } catch (SQLException invalid) {
            throw new IllegalArgumentException("invalid literal (contains a NUL character)", invalid);
        }
    }

    /** CURRENT_USER and PUBLIC stay keywords; other roles are quoted. */
    static String role(String role) {
        return role.equals(UserMapping.CURRENT_USER) || role.equals(UserMapping.PUBLIC) ? role : identifier(role);
    }
}
