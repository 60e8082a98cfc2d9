package dev.shardman.applier.objects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Read-only: whether a node reaches its peers through its shardman foreign servers, as its own role
 * (the CURRENT_USER mapping) would. For each server, one foreign table using it is read with
 * {@code LIMIT 1} in a read-only transaction, so a wrong host, port, TLS setting or a stale password
 * shows as the libpq error postgres_fdw reports (it never holds the password). A server no foreign
 * table uses carries no reads and is not probed; errors other than reaching the peer are not reported.
 */
public final class ForeignServerProbe {
    /** A server that could not be used: {@code error} is postgres_fdw's message on one line. */
    public record Failure(String server, String error) {
        public Failure {
            requireNonNull(server, "server is null");
            requireNonNull(error, "error is null");
        }
    }

    private static final String SERVERS = """
            SELECT s.srvname,
                   (SELECT n.nspname FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ft.ftserver = s.oid ORDER BY c.relname LIMIT 1),
                   (SELECT c.relname FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
                    WHERE ft.ftserver = s.oid ORDER BY c.relname LIMIT 1)
            FROM pg_catalog.pg_foreign_server s
            WHERE s.srvname LIKE 'shardman\\_node\\_%'
            ORDER BY s.srvname""";

    private static final String STATEMENT_TIMEOUT = "SELECT pg_catalog.set_config('statement_timeout', ?, true)";

    /** A server and one foreign table on it (quoted). */
    private record Target(String server, String table) {
    }

    private final Duration timeout;

    public ForeignServerProbe(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** The servers of the connection's node that cannot be used, sorted by name. */
    public List<Failure> probe(Connection connection) throws SQLException {
        List<Failure> failures = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SERVERS); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                if (rows.getString(3) != null) {
                    targets.add(new Target(rows.getString(1), SqlNames.identifier(rows.getString(2)) + "." + SqlNames.identifier(rows.getString(3))));
                }
            }
        }
        for (Target target : targets) {
            readOne(connection, target.table()).ifPresent(error -> failures.add(new Failure(target.server(), error)));
        }
        return List.copyOf(failures);
    }

    /**
     * Only a failure to reach the peer counts: postgres_fdw reports one (refused, unknown host, TLS, authentication) as
     * SQLSTATE class 08; a timeout (57014) is a peer that does not answer. Anything else (a remote table missing during a
     * move) is an object's drift, reported by the object comparison.
     */
    private static Optional<String> connectionFailure(SQLException failed) {
        String state = String.valueOf(failed.getSQLState());
        if (!state.startsWith("08") && !state.equals("57014")) {
            return Optional.empty();
        }
        return Optional.of(String.valueOf(failed.getMessage()).replaceAll("\\s*\\n\\s*", " ").strip());
    }

    private Optional<String> readOne(Connection connection, String table) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION READ ONLY");
            try (PreparedStatement limit = connection.prepareStatement(STATEMENT_TIMEOUT)) {
                limit.setString(1, Math.max(1, timeout.toMillis()) + "ms");
                limit.execute();
            }
            statement.executeQuery("SELECT 1 FROM " + table + " LIMIT 1").close();
            return Optional.empty();
        } catch (SQLException failed) {
            return connectionFailure(failed);
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }
}
