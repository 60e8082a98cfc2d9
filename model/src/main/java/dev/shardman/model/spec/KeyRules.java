package dev.shardman.model.spec;

import dev.shardman.model.NameSuggestions;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every table has a primary key of its own columns (logical replication uses it as the replica
 * identity). A sharded table's sharding key is one of its columns, is NOT NULL, and belongs to the
 * primary key (otherwise the key could not be unique across partitions).
 */
final class KeyRules implements SpecRule {
    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        for (TableSpec table : spec.tables()) {
            checkPrimaryKey(table, diagnostics);
            if (SpecFacts.isSharded(table)) {
                checkShardingKey(table, diagnostics);
            }
        }
    }

    private static void checkPrimaryKey(TableSpec table, Diagnostics diagnostics) {
        if (!table.positions().has("primary_key")) {
            return;
        }
        String subject = Subjects.table(table);
        if (table.primaryKey().isEmpty()) {
            diagnostics.error(table.positions().of("primary_key"), subject + ": primary_key is empty; every table needs"
                    + " a primary key, since logical replication uses it as the replica identity");
        }
        Set<String> seen = new HashSet<>();
        for (String columnName : table.primaryKey()) {
            Optional<ColumnSpec> column = table.column(columnName);
            if (column.isEmpty()) {
                diagnostics.error(table.positions().of("primary_key"), subject + ": primary_key names \"" + columnName
                        + "\", which is not a column of the table" + suggestColumn(table, columnName));
            } else if (column.get().positions().has("nullable") && column.get().nullable() && !isShardingKey(table, columnName)) {
                diagnostics.error(column.get().positions().of("nullable"), Subjects.column(table, column.get())
                        + ": declared nullable: true, but it is in the primary key, which makes it NOT NULL; remove nullable: true");
            }
            if (!seen.add(columnName)) {
                diagnostics.error(table.positions().of("primary_key"), subject + ": primary_key names \"" + columnName
                        + "\" twice; remove one");
            }
        }
    }

    private static void checkShardingKey(TableSpec table, Diagnostics diagnostics) {
        if (!table.positions().has("sharding_key") || table.shardingKey().isEmpty()) {
            return;
        }
        String key = table.shardingKey().get();
        String subject = Subjects.table(table);
        Optional<ColumnSpec> column = table.column(key);
        if (column.isEmpty()) {
            diagnostics.error(table.positions().of("sharding_key"), subject + ": sharding_key \"" + key
                    + "\" is not a column of the table" + suggestColumn(table, key));
            return;
        }
        if (column.get().positions().has("nullable") && column.get().nullable()) {
            diagnostics.error(column.get().positions().of("nullable"), Subjects.column(table, column.get())
                    + ": it is the sharding key, which must be NOT NULL (a NULL key has no partition); write nullable: false");
        }
        if (table.positions().has("primary_key") && !table.primaryKey().isEmpty() && !table.primaryKey().contains(key)) {
            diagnostics.error(table.positions().of("primary_key"), subject + ": primary_key " + table.primaryKey()
                    + " does not contain the sharding key \"" + key + "\"; add it, since uniqueness is only enforced"
                    + " within a partition");
        }
    }

    /** The sharding key has its own, more telling message about NULL. */
    private static boolean isShardingKey(TableSpec table, String columnName) {
        return SpecFacts.isSharded(table) && table.shardingKey().filter(columnName::equals).isPresent();
    }

    static String suggestColumn(TableSpec table, String name) {
        List<String> columns = table.columns().stream().map(ColumnSpec::name).toList();
        String suggestion = NameSuggestions.didYouMean(name, columns);
        return suggestion.isEmpty() ? "; the columns are: " + String.join(", ", columns) : suggestion;
    }
}
