package dev.shardman.applier.verify;

import dev.shardman.applier.connect.LongStatement;
import dev.shardman.applier.objects.SqlNames;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Counts and checksums one copy of a partition on the connection's node, in the connection's current
 * transaction (so a caller holding a snapshot or a lock gets the copy as of that point). The row text is
 * built from the named columns in the given order, not from {@code t.*}, so that two copies whose physical
 * column order differs (a column dropped and re-added on one of them) still compare equal. It reads the whole
 * partition in one statement, so it runs under {@link LongStatement}'s bound, not the node timeout.
 */
public final class PartitionChecksum {
    private static final String PARALLEL_WORKERS = "max_parallel_workers_per_gather";

    private PartitionChecksum() {
    }

    public static TableChecksum of(Connection connection, String schema, String table, List<String> columns) throws SQLException {
        String sql = sql(schema, table, columns);
        return LongStatement.run(connection, () -> {
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return new TableChecksum(result.getLong(1), result.getString(2));
            }
        });
    }

    /**
     * The same figures read by the session's backend alone, without parallel workers, for a check that runs while the
     * node serves writes (a move's verify, after its cutover): on a node with few cores the workers (two per scan by
     * default) took the CPU from the writers' backends, whose writes stalled for tens of milliseconds (BENCHMARKS.md,
     * "The write gap during a move's verify"). The session's setting is put back afterwards.
     */
    public static TableChecksum withoutParallelWorkers(Connection connection, String schema, String table, List<String> columns) throws SQLException {
        return withoutParallelWorkers(connection, () -> of(connection, schema, table, columns));
    }

    /** Runs {@code work} on {@code connection} with {@code max_parallel_workers_per_gather} at 0, then puts the session's value back. */
    static <T> T withoutParallelWorkers(Connection connection, LongStatement.Work<T> work) throws SQLException {
        String previous;
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pg_catalog.current_setting('" + PARALLEL_WORKERS + "')")) {
            result.next();
            previous = result.getString(1);
        }
        setParallelWorkers(connection, "0");
        boolean done = false;
        try {
            T result = work.run();
            done = true;
            return result;
        } finally {
            restore(connection, previous, done);
        }
    }

    /** After a failure only an autocommit session is put back (a failed transaction's rollback drops the setting itself). */
    private static void restore(Connection connection, String previous, boolean done) throws SQLException {
        if (done) {
            setParallelWorkers(connection, previous);
        } else if (!connection.isClosed() && connection.getAutoCommit()) {
            try {
                setParallelWorkers(connection, previous);
            } catch (SQLException ignored) {
                // the checksum's own failure is what the caller must see; a broken session is closed anyway
            }
        }
    }

    /** The statement that counts and checksums the rows of {@code schema.table}, its row text built from {@code columns} in order. */
    static String sql(String schema, String table, List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no columns to checksum for " + schema + "." + table);
        }
        String row = columns.stream().map(SqlNames::identifier).collect(Collectors.joining(", "));
        return "SELECT count(*), coalesce(sum(hashtextextended(ROW(" + row + ")::text, 0)), 0)::text FROM "
                + SqlNames.identifier(schema) + "." + SqlNames.identifier(table);
    }

    private static void setParallelWorkers(Connection connection, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.set_config('" + PARALLEL_WORKERS + "', ?, false)")) {
            statement.setString(1, value);
            statement.execute();
        }
    }
}
