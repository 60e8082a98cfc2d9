package dev.shardman.applier.verify;

import dev.shardman.applier.connect.LongStatement;
import org.postgresql.core.Utils;

import java.sql.Connection;
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
    private PartitionChecksum() {
    }

    public static TableChecksum of(Connection connection, String schema, String table, List<String> columns) throws SQLException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no columns to checksum for " + schema + "." + table);
        }
        String row = columns.stream().map(PartitionChecksum::identifier).collect(Collectors.joining(", "));
        String sql = "SELECT count(*), coalesce(sum(hashtextextended(ROW(" + row + ")::text, 0)), 0)::text FROM "
                + identifier(schema) + "." + identifier(table);
        return LongStatement.run(connection, () -> {
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return new TableChecksum(result.getLong(1), result.getString(2));
            }
        });
    }

    private static String identifier(String name) {
        try {
            return Utils.escapeIdentifier(null, name).toString();
        } catch (SQLException invalid) {
            throw new IllegalArgumentException("invalid identifier (contains a NUL character)", invalid);
        }
    }
}
