package dev.shardman.applier.objects;

import dev.shardman.model.Diagnostic;
import dev.shardman.model.SourcePosition;
import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.TableSpec;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ColumnValuesCheck} on one node's connection, in one read-only transaction. A type is analysed as
 * {@code CAST(NULL AS type)}, a default as {@code CAST((default) AS type)} (an explicit cast: a little more permissive
 * than the assignment cast of a real DEFAULT), through PREPARE, which parses and analyses but never plans or executes.
 * Usually every value is accepted, so they are first analysed together in one PREPARE, and the catalog's spellings read
 * in one query: a handful of round trips per node whatever the number of columns. When that PREPARE is refused, each
 * column is analysed on its own, under a savepoint, so that one refusal does not hide the next. The catalog's spelling
 * comes from {@code format_type} of {@code to_regtype} and, from PostgreSQL 17, {@code to_regtypemod}.
 */
final class NodeColumnCheck {
    private static final int FIRST_VERSION_WITH_TYPMOD_LOOKUP = 170000;
    private static final String CANONICAL_TYPES_WITH_MODIFIERS = "SELECT pg_catalog.format_type(pg_catalog.to_regtype(type),"
            + " pg_catalog.to_regtypemod(type)) FROM unnest(?::text[]) WITH ORDINALITY AS spec(type, position) ORDER BY position";
    private static final String CANONICAL_TYPES = "SELECT pg_catalog.format_type(pg_catalog.to_regtype(type), NULL)"
            + " FROM unnest(?::text[]) WITH ORDINALITY AS spec(type, position) ORDER BY position";
    private static final String STATEMENT_NAME = "shardman_check_column";
    private static final String MISSING_SCHEMAS = "SELECT spec.name FROM unnest(?::text[]) AS spec(name)"
            + " WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspname = spec.name)";

    private final Connection connection;
    private final String nodeName;

    NodeColumnCheck(Connection connection, String nodeName) {
        this.connection = connection;
        this.nodeName = nodeName;
    }

    void check(List<TableSpec> tables, Map<SourcePosition, Diagnostic> found) throws SQLException {
        boolean withModifiers = serverVersion() >= FIRST_VERSION_WITH_TYPMOD_LOOKUP;
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            missingSchemas(tables, found);
            for (List<SpecColumn> chunk : SpecColumn.chunks(tables)) {
                if (allAccepted(chunk)) {
                    compareSpellings(chunk, withModifiers, found);
                } else {
                    for (SpecColumn column : chunk) {
                        checkColumn(column.table(), column.column(), withModifiers, found);
                    }
                }
            }
        } finally {
            connection.rollback();
        }
    }

    /** A table's schema that the node does not have: its CREATE TABLE would fail halfway through the apply. */
    private void missingSchemas(List<TableSpec> tables, Map<SourcePosition, Diagnostic> found) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(MISSING_SCHEMAS)) {
            statement.setArray(1, connection.createArrayOf("text", tables.stream().map(TableSpec::schema).distinct().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    missing.add(rows.getString(1));
                }
            }
        }
        for (TableSpec table : tables.stream().filter(table -> missing.contains(table.schema())).toList()) {
            SourcePosition position = table.positions().has("schema") ? table.positions().of("schema") : table.positions().of("name");
            found.putIfAbsent(position, Diagnostic.error(position, "table \"" + table.name() + "\": schema \"" + table.schema()
                    + "\" does not exist on node " + nodeName + "; create it on every node first (shardman creates tables, not schemas)"));
        }
    }

    /** Whether the node parses and analyses every type and default of {@code columns} in one PREPARE. */
    private boolean allAccepted(List<SpecColumn> columns) throws SQLException {
        List<String> values = new ArrayList<>();
        for (SpecColumn spec : columns) {
            values.add("CAST(NULL AS " + spec.column().type() + ")");
            spec.column().defaultExpression().ifPresent(expression -> values.add("CAST((" + expression + ") AS " + spec.column().type() + ")"));
        }
        return refusal("SELECT " + String.join(", ", values)).isEmpty();
    }

    /** Every accepted type's catalog spelling, read in one query and compared with the spec's. */
    private void compareSpellings(List<SpecColumn> columns, boolean withModifiers, Map<SourcePosition, Diagnostic> found) throws SQLException {
        List<SpecColumn> comparable = columns.stream().filter(spec -> withModifiers || !spec.column().type().contains("(")).toList();
        List<String> canonical = canonicalTypes(comparable.stream().map(spec -> spec.column().type()).toList(), withModifiers);
        for (int index = 0; index < comparable.size(); index++) {
            spellingProblem(comparable.get(index).table(), comparable.get(index).column(), canonical.get(index), found);
        }
    }

    private void checkColumn(TableSpec table, ColumnSpec column, boolean withModifiers, Map<SourcePosition, Diagnostic> found)
            throws SQLException {
        String subject = ColumnValuesCheck.subject(table, column);
        SourcePosition typePosition = column.positions().of("type");
        Optional<String> refusal = refusal("SELECT CAST(NULL AS " + column.type() + ")");
        if (refusal.isPresent()) {
            found.putIfAbsent(typePosition, Diagnostic.error(typePosition, subject + ": node " + nodeName + " refuses type \""
                    + column.type() + "\": " + refusal.get() + "; use a type that exists on every node"));
            return;
        }
        if (withModifiers || !column.type().contains("(")) {
            spellingProblem(table, column, canonicalTypes(List.of(column.type()), withModifiers).get(0), found);
        }
        if (column.defaultExpression().isPresent()) {
            SourcePosition defaultPosition = column.positions().of("default");
            refusal("SELECT CAST((" + column.defaultExpression().get() + ") AS " + column.type() + ")").ifPresent(problem ->
                    found.putIfAbsent(defaultPosition, Diagnostic.error(defaultPosition, subject + ": node " + nodeName
                            + " refuses the default \"" + column.defaultExpression().get() + "\" for type " + column.type() + ": "
                            + problem + "; write an expression of that type that exists on every node")));
        }
    }

    private void spellingProblem(TableSpec table, ColumnSpec column, String canonical, Map<SourcePosition, Diagnostic> found) {
        if (!SqlText.sameType(column.type(), canonical)) {
            SourcePosition typePosition = column.positions().of("type");
            found.putIfAbsent(typePosition, Diagnostic.error(typePosition, ColumnValuesCheck.subject(table, column) + ": the catalog spells type \""
                    + column.type() + "\" as \"" + canonical + "\" (node " + nodeName + "), so plan would never find the column in sync;"
                    + " write type: " + canonical));
        }
    }

    /** The server's error when it cannot parse and analyse {@code query}; nothing is planned or run. */
    private Optional<String> refusal(String query) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute("PREPARE " + STATEMENT_NAME + " AS " + query);
            statement.execute("DEALLOCATE " + STATEMENT_NAME);
            connection.releaseSavepoint(savepoint);
            return Optional.empty();
        } catch (PSQLException refused) {
            connection.rollback(savepoint);
            return Optional.of(refused.getServerErrorMessage() == null ? String.valueOf(refused.getMessage())
                    : refused.getServerErrorMessage().getMessage());
        }
    }

    /** The catalog's spelling of each of {@code types} (each one the node accepted), in order, in one query. */
    private List<String> canonicalTypes(List<String> types, boolean withModifiers) throws SQLException {
        List<String> canonical = new ArrayList<>();
        if (types.isEmpty()) {
            return canonical;
        }
        try (PreparedStatement statement = connection.prepareStatement(withModifiers ? CANONICAL_TYPES_WITH_MODIFIERS : CANONICAL_TYPES)) {
            statement.setArray(1, connection.createArrayOf("text", types.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    canonical.add(rows.getString(1));
                }
            }
        }
        return canonical;
    }

    private int serverVersion() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            row.next();
            return row.getInt(1);
        }
    }
}
