package dev.shardman.bench.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Read-only queries of the checks, on fresh sessions with connect and socket timeouts (a check never hangs the suite). */
final class ChaosSql {
    private ChaosSql() {
    }

    static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&ApplicationName=chaos-check"
                + "&connectTimeout=10&socketTimeout=60&loginTimeout=10");
    }

    /** Every row of {@code sql}, its columns joined by a tab. */
    static List<String> rows(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData meta = result.getMetaData();
            List<String> rows = new ArrayList<>();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.append(column > 1 ? "\t" : "").append(result.getString(column));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    /** The first column of {@code sql} as longs. */
    static List<Long> longs(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<Long> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getLong(1));
            }
            return values;
        }
    }
}
