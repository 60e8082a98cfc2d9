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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The second half of {@link ColumnValuesCheck} on one node: the defaults that node accepted are stored as real column
 * defaults of a temporary table (all of them in one, or one by one when the node refuses one of them), in a transaction
 * that is always rolled back, and the catalog's {@code pg_get_expr} of each is compared with the spec's text the way the
 * reconciler compares them ({@link SqlText#sameDefault}). A default the catalog reprints differently would be drift
 * forever, so it is refused with the catalog's spelling to use; a default the real (assignment) cast refuses is refused
 * with the server's message. CREATE TABLE stores the expression without evaluating it, and no row is ever inserted. PostgreSQL refuses
 * CREATE TABLE in a read-only transaction, hence read-write here; nothing survives the rollback.
 */
final class NodeDefaultCheck {
    private static final String TABLE = "pg_temp.shardman_check_default";
    private static final String STORED_DEFAULTS = "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d"
            + " WHERE d.adrelid = pg_catalog.to_regclass('" + TABLE + "') ORDER BY d.adnum";

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
            for (List<SpecColumn> chunk : SpecColumn.chunks(tables)) {
                List<SpecColumn> defaults = chunk.stream().filter(spec -> spec.column().defaultExpression().isPresent()
                        && !found.containsKey(spec.column().positions().of("type")) && !found.containsKey(spec.column().positions().of("default")))
                        .toList();
                Optional<List<String>> stored = defaults.isEmpty() ? Optional.of(List.of()) : storedTogether(defaults);
                for (int index = 0; index < defaults.size(); index++) {
                    if (stored.isPresent()) {
                        compare(defaults.get(index), stored.get().get(index), found);
                    } else {
                        checkDefault(defaults.get(index), found);
                    }
                }
            }
        } finally {
            connection.rollback();
        }
    }

    /**
     * The catalog's text of every default of {@code defaults}, stored as the column defaults of one temporary table (one
     * round trip for all); empty when the node refuses one of them: then each is checked on its own, to name each refusal.
     */
    private Optional<List<String>> storedTogether(List<SpecColumn> defaults) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (SpecColumn spec : defaults) {
            columns.add("c" + columns.size() + " " + spec.column().type() + " DEFAULT (" + spec.column().defaultExpression().orElseThrow() + ")");
        }
        Savepoint savepoint = connection.setSavepoint();
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute("CREATE TEMPORARY TABLE " + TABLE + " (" + String.join(", ", columns) + ")");
            List<String> stored = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(STORED_DEFAULTS)) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
            return Optional.of(stored);
        } catch (PSQLException refused) {
            return Optional.empty();
        } finally {
            connection.rollback(savepoint);
        }
    }

    private void checkDefault(SpecColumn spec, Map<SourcePosition, Diagnostic> found) throws SQLException {
        ColumnSpec column = spec.column();
        String expression = column.defaultExpression().orElseThrow();
        SourcePosition position = column.positions().of("default");
        Savepoint savepoint = connection.setSavepoint();
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute("CREATE TEMPORARY TABLE " + TABLE + " (c " + column.type() + " DEFAULT (" + expression + "))");
            try (ResultSet row = statement.executeQuery(STORED_DEFAULTS)) {
                row.next();
                compare(spec, row.getString(1), found);
            }
        } catch (PSQLException refused) {
            String message = refused.getServerErrorMessage() == null ? String.valueOf(refused.getMessage())
                    : refused.getServerErrorMessage().getMessage();
            found.putIfAbsent(position, Diagnostic.error(position, ColumnValuesCheck.subject(spec.table(), column) + ": node " + nodeName
                    + " refuses the default \"" + expression + "\" for type " + column.type() + ": " + message
                    + "; write an expression of that type that exists on every node"));
        } finally {
            connection.rollback(savepoint);
        }
    }

    /** Refuses a default the catalog stores in another spelling than the spec's, giving the catalog's. */
    private void compare(SpecColumn spec, String stored, Map<SourcePosition, Diagnostic> found) {
        String expression = spec.column().defaultExpression().orElseThrow();
        if (!SqlText.sameDefault(Optional.of(expression), Optional.of(stored))) {
            SourcePosition position = spec.column().positions().of("default");
            found.putIfAbsent(position, Diagnostic.error(position, ColumnValuesCheck.subject(spec.table(), spec.column())
                    + ": the catalog stores default \"" + expression + "\" as \"" + stored + "\" (node " + nodeName + "), so plan would never find the column in sync; write default: "
                    + yamlString(stored)));
        }
    }

    /** A YAML double-quoted scalar, so that the suggestion can be pasted as it is. */
    static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
