package dev.shardman.applier.objects;

import dev.shardman.model.Diagnostic;
import dev.shardman.model.SourcePosition;
import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.TableSpec;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The second half of {@link ColumnValuesCheck} on one node: each default that node accepted is stored as a real
 * column default of a temporary table, in a transaction that is always rolled back, and the catalog's
 * {@code pg_get_expr} of it is compared with the spec's text the way the reconciler compares them
 * ({@link SqlText#sameDefault}). A default the catalog reprints differently would be drift forever, so it is refused
 * with the catalog's spelling to use; a default the real (assignment) cast refuses is refused with the server's
 * message. CREATE TABLE stores the expression without evaluating it, and no row is ever inserted. PostgreSQL refuses
 * CREATE TABLE in a read-only transaction, hence read-write here; nothing survives the rollback.
 */
final class NodeDefaultCheck {
    private static final String TABLE = "pg_temp.shardman_check_default";
    private static final String STORED_DEFAULT = "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d"
            + " WHERE d.adrelid = pg_catalog.to_regclass('" + TABLE + "')";

    private final Connection connection;
    private final String nodeName;

    NodeDefaultCheck(Connection connection, String nodeName) {
        this.connection = connection;
        this.nodeName = nodeName;
    }

    /** Checks the defaults not refused yet (their position is not in {@code found}). */
    void check(List<TableSpec> tables, Map<SourcePosition, Diagnostic> found) throws SQLException {
        connection.setReadOnly(false);
        connection.setAutoCommit(false);
        try {
            for (TableSpec table : tables) {
                for (ColumnSpec column : table.columns()) {
                    if (column.defaultExpression().isPresent() && !found.containsKey(column.positions().of("type"))
                            && !found.containsKey(column.positions().of("default"))) {
                        checkDefault(table, column, found);
                    }
                }
            }
        } finally {
            connection.rollback();
        }
    }

    private void checkDefault(TableSpec table, ColumnSpec column, Map<SourcePosition, Diagnostic> found) throws SQLException {
        String expression = column.defaultExpression().orElseThrow();
        SourcePosition position = column.positions().of("default");
        String subject = ColumnValuesCheck.subject(table, column);
        Savepoint savepoint = connection.setSavepoint();
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute("CREATE TEMPORARY TABLE " + TABLE + " (c " + column.type() + " DEFAULT (" + expression + "))");
            String stored = storedDefault(statement);
            if (!SqlText.sameDefault(Optional.of(expression), Optional.of(stored))) {
                found.putIfAbsent(position, Diagnostic.error(position, subject + ": the catalog stores default \"" + expression
                        + "\" as \"" + stored + "\" (node " + nodeName + "), so plan would never find the column in sync; write default: "
                        + yamlString(stored)));
            }
        } catch (PSQLException refused) {
            String message = refused.getServerErrorMessage() == null ? String.valueOf(refused.getMessage())
                    : refused.getServerErrorMessage().getMessage();
            found.putIfAbsent(position, Diagnostic.error(position, subject + ": node " + nodeName + " refuses the default \""
                    + expression + "\" for type " + column.type() + ": " + message + "; write an expression of that type that exists on every node"));
        } finally {
            connection.rollback(savepoint);
        }
    }

    private static String storedDefault(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery(STORED_DEFAULT)) {
            row.next();
            return row.getString(1);
        }
    }

    /** A YAML double-quoted scalar, so that the suggestion can be pasted as it is. */
    static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
