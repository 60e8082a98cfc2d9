package dev.shardman.model.spec;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Table names are unique across schemas (partitions are named after the table alone); partition
 * counts are within 1..10000 and redundancy is not negative; a table has columns, each named once
 * and with a type.
 */
final class TableRules implements SpecRule {
    static final int MINIMUM_PARTITIONS = 1;
    static final int MAXIMUM_PARTITIONS = 10000;

    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        checkDefaultPartitions(spec.settings(), diagnostics);
        checkMaxReplicationLag(spec.settings(), diagnostics);
        Map<String, TableSpec> firstByName = new HashMap<>();
        for (TableSpec table : spec.tables()) {
            if (SpecFacts.isNamed(table)) {
                TableSpec first = firstByName.putIfAbsent(table.name(), table);
                if (first != null) {
                    reportDuplicate(table, first, diagnostics);
                }
            }
            checkCounts(table, diagnostics);
            checkColumns(table, diagnostics);
        }
    }

    private static void checkMaxReplicationLag(SettingsSpec settings, Diagnostics diagnostics) {
        if (settings.positions().has("max_replication_lag_bytes") && settings.maxReplicationLagBytes() <= 0) {
            diagnostics.error(settings.positions().of("max_replication_lag_bytes"), "settings: max_replication_lag_bytes is "
                    + settings.maxReplicationLagBytes() + "; it must be positive (bytes of WAL a replica may lag before drift-check reports it)");
        }
    }

    private static void checkDefaultPartitions(SettingsSpec settings, Diagnostics diagnostics) {
        int partitions = settings.defaultPartitions();
        if (settings.positions().has("default_partitions") && !isValidPartitionCount(partitions)) {
            diagnostics.error(settings.positions().of("default_partitions"), "settings: default_partitions is " + partitions
                    + "; it must be from " + MINIMUM_PARTITIONS + " to " + MAXIMUM_PARTITIONS);
        }
    }

    static boolean isValidPartitionCount(int partitions) {
        return partitions >= MINIMUM_PARTITIONS && partitions <= MAXIMUM_PARTITIONS;
    }

    private static void reportDuplicate(TableSpec table, TableSpec first, Diagnostics diagnostics) {
        String where = "the table at line " + first.positions().start().line();
        String problem = first.schema().equals(table.schema())
                ? "is declared twice (also " + where + "); remove one of them"
                : "is also used by " + where + " in schema \"" + first.schema() + "\"; table names must be unique"
                + " across schemas because partitions are named after the table: rename one of them";
        diagnostics.error(table.positions().of("name"), Subjects.table(table) + ": the name " + problem);
    }

    private static void checkCounts(TableSpec table, Diagnostics diagnostics) {
        if (!SpecFacts.isSharded(table)) {
            return;
        }
        if (table.positions().has("partitions") && !isValidPartitionCount(table.partitions())) {
            diagnostics.error(table.positions().of("partitions"), Subjects.table(table) + ": partitions is "
                    + table.partitions() + "; it must be from " + MINIMUM_PARTITIONS + " to " + MAXIMUM_PARTITIONS);
        }
        if (table.positions().has("redundancy") && table.redundancy() < 0) {
            diagnostics.error(table.positions().of("redundancy"), Subjects.table(table) + ": redundancy is "
                    + table.redundancy() + "; it counts replicas per partition, so it must be 0 or more");
        }
    }

    private static void checkColumns(TableSpec table, Diagnostics diagnostics) {
        if (table.positions().has("columns") && table.columns().isEmpty()) {
            diagnostics.error(table.positions().of("columns"), Subjects.table(table)
                    + ": columns is empty; declare at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (ColumnSpec column : table.columns()) {
            if (column.positions().has("name") && !seen.add(column.name())) {
                diagnostics.error(column.positions().of("name"), Subjects.column(table, column)
                        + ": the column is declared twice; remove one of them");
            }
            if (column.positions().has("type") && column.type().isBlank()) {
                diagnostics.error(column.positions().of("type"), Subjects.column(table, column)
                        + ": type is empty; give an SQL type such as bigint or text");
            }
        }
    }
}
