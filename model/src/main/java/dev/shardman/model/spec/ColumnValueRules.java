package dev.shardman.model.spec;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A column's type is a type name ({@link TypeNameSyntax}) and its default exactly one expression
 * ({@link DefaultExpressionSyntax}): spec text spliced into DDL can never become a statement of its own.
 * Per-node sequences are refused on sharded tables: {@code serial}-like types and {@code nextval(...)}
 * defaults would give each node its own sequence, hence the same ids on every node. A shared table is
 * written on its master only, so a {@code nextval} default is allowed there; {@code serial} is refused
 * everywhere because the catalog prints it back as another type and a default, so it never converges.
 */
final class ColumnValueRules implements SpecRule {
    /** PostgreSQL's serial shorthands and the type each one really is. */
    private static final Map<String, String> SERIAL_TYPES = Map.of(
            "smallserial", "smallint", "serial2", "smallint", "serial", "integer", "serial4", "integer",
            "bigserial", "bigint", "serial8", "bigint");
    static final String UNIQUE_KEY_ADVICE = "shardman has no cluster-wide sequence: use a uuid key with"
            + " default gen_random_uuid() (PostgreSQL 13+), keys allocated by the application, or a composite key"
            + " that includes a per-node or per-tenant part";

    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        for (TableSpec table : spec.tables()) {
            for (ColumnSpec column : table.columns()) {
                checkType(table, column, diagnostics);
                checkDefault(table, column, diagnostics);
            }
        }
    }

    private static void checkType(TableSpec table, ColumnSpec column, Diagnostics diagnostics) {
        if (!column.positions().has("type") || column.type().isBlank()) {
            return;
        }
        String subject = Subjects.column(table, column);
        Optional<String> problem = TypeNameSyntax.problem(column.type());
        if (problem.isPresent()) {
            diagnostics.error(column.positions().of("type"), subject + ": type \"" + column.type() + "\" is not a type name: "
                    + problem.get() + "; write a type such as bigint, numeric(10,2), timestamp with time zone, text[] or myschema.mytype"
                    + (column.type().toLowerCase(Locale.ROOT).contains("identity") && SpecFacts.isSharded(table)
                    ? " (an identity column would be a per-node sequence: " + UNIQUE_KEY_ADVICE + ")" : ""));
            return;
        }
        String serialOf = SERIAL_TYPES.get(TypeNameSyntax.parse(column.type()));
        if (serialOf == null) {
            return;
        }
        String why = SpecFacts.isSharded(table)
                ? " creates a sequence on each node, so every node would issue the same ids to this sharded table; " + UNIQUE_KEY_ADVICE
                : " is a shorthand PostgreSQL expands to type " + serialOf + " with a nextval(...) default of a sequence it creates, so the"
                + " spec would never match the catalog; write type: " + serialOf + " and default: nextval('<sequence>') with a sequence"
                + " that exists on every node";
        diagnostics.error(column.positions().of("type"), subject + ": type " + column.type().strip() + why);
    }

    private static void checkDefault(TableSpec table, ColumnSpec column, Diagnostics diagnostics) {
        if (column.defaultExpression().isEmpty() || !column.positions().has("default")) {
            return;
        }
        String subject = Subjects.column(table, column);
        DefaultExpressionSyntax.Lexed lexed;
        try {
            lexed = DefaultExpressionSyntax.lex(column.defaultExpression().get());
        } catch (TypeToken.SyntaxError error) {
            diagnostics.error(column.positions().of("default"), subject + ": default is not exactly one SQL expression: "
                    + error.getMessage() + "; write one expression such as 0, 'text', now() or gen_random_uuid()");
            return;
        }
        if (SpecFacts.isSharded(table) && lexed.calledFunctions().contains("nextval")) {
            diagnostics.error(column.positions().of("default"), subject + ": the default calls nextval(...), a sequence of its own on"
                    + " each node, so every node would issue the same ids to this sharded table; " + UNIQUE_KEY_ADVICE);
        }
    }
}
