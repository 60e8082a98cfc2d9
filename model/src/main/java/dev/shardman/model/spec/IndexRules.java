package dev.shardman.model.spec;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Indexes name existing columns, each once, and at least one; index names are unique within a
 * schema and differ from table names there (PostgreSQL keeps both in one namespace per schema).
 */
final class IndexRules implements SpecRule {
    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        Map<String, String> relationsBySchemaAndName = new HashMap<>();
        for (TableSpec table : spec.tables()) {
            if (SpecFacts.isNamed(table)) {
                relationsBySchemaAndName.putIfAbsent(table.schema() + "." + table.name(), "table \"" + table.name() + "\"");
            }
        }
        for (TableSpec table : spec.tables()) {
            for (IndexSpec index : table.indexes()) {
                checkColumns(table, index, diagnostics);
                if (!index.positions().has("name")) {
                    continue;
                }
                String previous = relationsBySchemaAndName.putIfAbsent(table.schema() + "." + index.name(),
                        "index \"" + index.name() + "\" of table \"" + table.name() + "\" at line " + index.positions().start().line());
                if (previous != null) {
                    diagnostics.error(index.positions().of("name"), Subjects.index(table, index)
                            + ": the name is already used by " + previous + " in schema \"" + table.schema()
                            + "\"; rename the index");
                }
            }
        }
    }

    private static void checkColumns(TableSpec table, IndexSpec index, Diagnostics diagnostics) {
        if (!index.positions().has("columns")) {
            return;
        }
        String subject = Subjects.index(table, index);
        if (index.columns().isEmpty()) {
            diagnostics.error(index.positions().of("columns"), subject + ": columns is empty; name at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (String columnName : index.columns()) {
            if (table.column(columnName).isEmpty()) {
                diagnostics.error(index.positions().of("columns"), subject + ": \"" + columnName
                        + "\" is not a column of the table" + KeyRules.suggestColumn(table, columnName));
            } else if (!seen.add(columnName)) {
                diagnostics.error(index.positions().of("columns"), subject + ": names the column \"" + columnName
                        + "\" twice; remove one");
            }
        }
    }
}
