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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ColumnValuesCheck} on one node's connection: every column in one read-only transaction, each
 * under a savepoint so that one refusal does not hide the next. A type is analysed as
 * {@code CAST(NULL AS type)}, a default as {@code CAST((default) AS type)} (an explicit cast: a little
 * more permissive than the assignment cast of a real DEFAULT), both through PREPARE, which parses and
 * analyses but never plans or executes. The catalog's spelling comes from {@code format_type} of
 * {@code to_regtype} and, from PostgreSQL 17, {@code to_regtypemod}.
 */
final class NodeColumnCheck {
    private static final int FIRST_VERSION_WITH_TYPMOD_LOOKUP = 170000;
    private static final String CANONICAL_TYPE_WITH_MODIFIERS =
            "SELECT pg_catalog.format_type(pg_catalog.to_regtype(?), pg_catalog.to_regtypemod(?))";
    private static final String CANONICAL_TYPE = "SELECT pg_catalog.format_type(pg_catalog.to_regtype(?), NULL)";
    private static final String STATEMENT_NAME = "shardman_check_column";

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
            for (TableSpec table : tables) {
                for (ColumnSpec column : table.columns()) {
                    checkColumn(table, column, withModifiers, found);
                }
            }
        } finally {
            connection.rollback();
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
            String canonical = canonicalType(column.type(), withModifiers);
            if (!SqlText.sameType(column.type(), canonical)) {
                found.putIfAbsent(typePosition, Diagnostic.error(typePosition, subject + ": the catalog spells type \"" + column.type()
                        + "\" as \"" + canonical + "\" (node " + nodeName + "), so plan would never find the column in sync;"
                        + " write type: " + canonical));
            }
        }
        if (column.defaultExpression().isPresent()) {
            SourcePosition defaultPosition = column.positions().of("default");
            refusal("SELECT CAST((" + column.defaultExpression().get() + ") AS " + column.type() + ")").ifPresent(problem ->
                    found.putIfAbsent(defaultPosition, Diagnostic.error(defaultPosition, subject + ": node " + nodeName
                            + " refuses the default \"" + column.defaultExpression().get() + "\" for type " + column.type() + ": "
                            + problem + "; write an expression of that type that exists on every node")));
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

    private String canonicalType(String type, boolean withModifiers) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(withModifiers ? CANONICAL_TYPE_WITH_MODIFIERS : CANONICAL_TYPE)) {
            statement.setString(1, type);
            if (withModifiers) {
                statement.setString(2, type);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private int serverVersion() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            row.next();
            return row.getInt(1);
        }
    }
}
