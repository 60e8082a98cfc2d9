package dev.shardman.applier.objects;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
    public record Target(String server, String table) {
        public Target {
            requireNonNull(server, "server is null");
            requireNonNull(table, "table is null");
        }
    }

    private final Duration timeout;

    public ForeignServerProbe(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** Adds the read of the servers to probe to {@code reads} (one round trip with other reads); fills {@code targets} when run. */
    public static void readTargets(CatalogReads reads, List<Target> targets) {
        reads.add(SERVERS, List.of(), rows -> {
            while (rows.next()) {
                if (rows.getString(3) != null) {
                    targets.add(new Target(rows.getString(1), SqlNames.identifier(rows.getString(2)) + "." + SqlNames.identifier(rows.getString(3))));
                }
            }
        });
    }

    /**
     * The servers among {@code targets} (from {@link #readTargets}) the connection's node cannot use, in their order. The
     * probes share one read-only transaction until one fails (which aborts it); the rest go on in a new one.
     */
    public List<Failure> probe(Connection connection, List<Target> targets) throws SQLException {
        List<Failure> failures = new ArrayList<>();
        boolean autoCommit = connection.getAutoCommit();
        boolean readOnly = connection.isReadOnly();
        // pgjdbc sends BEGIN READ ONLY with the first statement of a read-only connection's transaction: no round trip of its own
        connection.setReadOnly(true);
        connection.setAutoCommit(false);
        try {
            int next = 0;
            while (next < targets.size()) {
                next = probeFrom(connection, targets, next, failures);
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
            connection.setReadOnly(readOnly);
        }
        return List.copyOf(failures);
    }

    /** Probes from {@code first} in one transaction until one fails; the index of the first target not probed. */
    private int probeFrom(Connection connection, List<Target> targets, int first, List<Failure> failures) throws SQLException {
        try (PreparedStatement limit = connection.prepareStatement(STATEMENT_TIMEOUT)) {
            limit.setString(1, Math.max(1, timeout.toMillis()) + "ms");
            limit.execute();
        }
        int next = first;
        try (Statement statement = connection.createStatement()) {
            while (next < targets.size()) {
                Target target = targets.get(next++);
                try {
                    statement.executeQuery("SELECT 1 FROM " + target.table() + " LIMIT 1").close();
                } catch (SQLException failed) {
                    connectionFailure(failed).ifPresent(error -> failures.add(new Failure(target.server(), error)));
                    break;
                }
            }
        } finally {
            connection.rollback();
        }
        return next;
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
}
