package dev.shardman.applier.connect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a statement whose text carries a password (a user mapping, a subscription's CONNECTION) so that the server keeps
 * no copy of it: statement logging ({@code log_statement}, {@code log_min_duration_statement}), the STATEMENT line of an
 * error ({@code log_min_error_statement}) and pg_stat_statements' record of utility statements are turned off for it,
 * where this role may set them, then put back. Local to the transaction when one is open, else to the session.
 */
public final class UnloggedStatement {
    /** CASE, not AND: has_parameter_privilege is asked only of a parameter the server knows (a module may be absent). */
    private static final String QUIET = """
            WITH previous AS MATERIALIZED (
                SELECT s.name, s.quiet, pg_catalog.current_setting(s.name) AS value
                FROM (VALUES ('log_statement', 'none'), ('log_min_error_statement', 'panic'), ('log_min_duration_statement', '-1'),
                             ('pg_stat_statements.track_utility', 'off')) AS s(name, quiet)
                WHERE CASE WHEN pg_catalog.current_setting(s.name, true) IS NULL THEN false
                           ELSE pg_catalog.has_parameter_privilege(s.name, 'SET') END)
            SELECT name, value, pg_catalog.set_config(name, quiet, ?) FROM previous""";
    private static final String RESTORE = "SELECT pg_catalog.set_config(?, ?, ?)";

    private UnloggedStatement() {
    }

    public static void execute(Connection connection, String sql) throws SQLException {
        boolean local = !connection.getAutoCommit();
        Map<String, String> previous = new LinkedHashMap<>();
        try (PreparedStatement quiet = connection.prepareStatement(QUIET)) {
            quiet.setBoolean(1, local);
            try (ResultSet rows = quiet.executeQuery()) {
                while (rows.next()) {
                    previous.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        boolean done = false;
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            done = true;
        } finally {
            // a failure inside a transaction aborts it, and its local settings go with it
            if (done || !local) {
                restore(connection, previous, local);
            }
        }
    }

    private static void restore(Connection connection, Map<String, String> previous, boolean local) throws SQLException {
        try (PreparedStatement restore = connection.prepareStatement(RESTORE)) {
            for (Map.Entry<String, String> setting : previous.entrySet()) {
                restore.setString(1, setting.getKey());
                restore.setString(2, setting.getValue());
                restore.setBoolean(3, local);
                restore.executeQuery().close();
            }
        }
    }
}
