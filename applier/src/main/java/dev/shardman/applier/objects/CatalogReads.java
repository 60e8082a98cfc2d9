package dev.shardman.applier.objects;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Several catalog queries sent as one statement text: pgjdbc sends the queries of one prepared statement together and
 * waits once (one round trip instead of one per query; on a loaded node each wait costs more than the query). The
 * results are read in the order the queries were added, so a reader may use what an earlier one read. Parameters are
 * bound as values (text or arrays), never spliced into the text.
 */
public final class CatalogReads {
    /** Reads one query's rows. */
    public interface Reader {
        void read(ResultSet rows) throws SQLException;
    }

    private record Query(String sql, List<Object> parameters, Reader reader) {
    }

    private final Connection connection;
    private final List<Query> queries = new ArrayList<>();

    public CatalogReads(Connection connection) {
        this.connection = requireNonNull(connection, "connection is null");
    }

    /** Adds {@code sql} (one query, no {@code ;}) with its parameters: {@link String}s or {@link Array}s, in order. */
    public CatalogReads add(String sql, List<Object> parameters, Reader reader) {
        if (sql.indexOf(';') >= 0) {
            throw new IllegalArgumentException("one query per entry: " + sql);
        }
        queries.add(new Query(sql, List.copyOf(parameters), reader));
        return this;
    }

    /** A text array of {@code values}, for a parameter. */
    public Array textArray(List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    /** Runs every query added, in one round trip, and hands each result to its reader in order. */
    public void run() throws SQLException {
        if (queries.isEmpty()) {
            return;
        }
        String text = String.join(";\n", queries.stream().map(Query::sql).toList());
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            int index = 1;
            for (Query query : queries) {
                for (Object parameter : query.parameters()) {
                    if (parameter instanceof Array array) {
                        statement.setArray(index++, array);
                    } else {
                        statement.setString(index++, (String) parameter);
                    }
                }
            }
            boolean rows = statement.execute();
            for (Query query : queries) {
                if (!rows) {
                    throw new SQLException("the catalog read returned fewer results than its " + queries.size() + " queries");
                }
                try (ResultSet result = statement.getResultSet()) {
                    query.reader().read(result);
                }
                rows = statement.getMoreResults();
            }
        }
    }
}
