package dev.shardman.applier.exec;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** What a statement returned: its first rows (with the columns and the count of all) or its update count. */
final class ExecResultRows {
    /** Rows shown per target: exec is for DDL and small checks, not for reading data. */
    static final int SHOWN_ROWS = 5;

    private ExecResultRows() {
    }

    /** Runs {@code sql} on {@code statement} (escape processing off: the text goes to the server as written). */
    static TargetOutcome run(String target, Statement statement, String sql) throws SQLException {
        statement.setEscapeProcessing(false);
        if (!statement.execute(sql)) {
            int updated = statement.getUpdateCount();
            return new TargetOutcome(target, ExecOutcome.OK, "", updated > 0 ? OptionalLong.of(updated) : OptionalLong.empty(),
                    List.of(), List.of(), 0);
        }
        try (ResultSet rows = statement.getResultSet()) {
            ResultSetMetaData metadata = rows.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int column = 1; column <= metadata.getColumnCount(); column++) {
                columns.add(metadata.getColumnLabel(column));
            }
            List<List<String>> shown = new ArrayList<>();
            long count = 0;
            while (rows.next()) {
                if (count++ < SHOWN_ROWS) {
                    List<String> values = new ArrayList<>();
                    for (int column = 1; column <= columns.size(); column++) {
                        String value = rows.getString(column);
                        values.add(value == null ? "NULL" : value);
                    }
                    shown.add(values);
                }
            }
            return new TargetOutcome(target, ExecOutcome.OK, "", OptionalLong.empty(), columns, shown, count);
        }
    }
}
