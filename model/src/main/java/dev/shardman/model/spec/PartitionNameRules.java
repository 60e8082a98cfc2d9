package dev.shardman.model.spec;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Names that shardman derives must fit and must not collide: partition n of sharded table t is
 * {@code t_n} and its foreign stand-in {@code t_n_fdw}; shared table s has a companion {@code s_fdw}.
 * A table or index of the spec may not be named like one of those, and no derived name may exceed
 * PostgreSQL's 63 bytes (it would be truncated, maybe onto another name).
 */
final class PartitionNameRules implements SpecRule {
    static final String FOREIGN_SUFFIX = "_fdw";

    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        Map<String, String> derivedNames = new HashMap<>();
        for (TableSpec table : spec.tables()) {
            if (SpecFacts.isNamed(table) && IdentifierRules.problem(table.name()).isEmpty() && checkLength(table, diagnostics)) {
                addDerivedNames(table, derivedNames);
            }
        }
        for (TableSpec table : spec.tables()) {
            String owner = derivedNames.get(table.name());
            if (SpecFacts.isNamed(table) && owner != null) {
                diagnostics.error(table.positions().of("name"), Subjects.table(table) + ": the name collides with " + owner
                        + "; rename this table (or the other one)");
            }
            for (IndexSpec index : table.indexes()) {
                String indexOwner = derivedNames.get(index.name());
                if (index.positions().has("name") && indexOwner != null) {
                    diagnostics.error(index.positions().of("name"), Subjects.index(table, index) + ": the name collides with "
                            + indexOwner + " (indexes and tables share one namespace); rename the index");
                }
            }
        }
    }

    /** The longest name derived from {@code table}; empty when it derives none. */
    static String longestDerivedName(TableSpec table) {
        if (SpecFacts.isSharded(table)) {
            return table.name() + "_" + (table.partitions() - 1) + FOREIGN_SUFFIX;
        }
        return SpecFacts.isShared(table) ? table.name() + FOREIGN_SUFFIX : "";
    }

    private static boolean checkLength(TableSpec table, Diagnostics diagnostics) {
        if (SpecFacts.isSharded(table) && !TableRules.isValidPartitionCount(table.partitions())) {
            return false;
        }
        String longest = longestDerivedName(table);
        int bytes = longest.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= IdentifierRules.MAXIMUM_BYTES) {
            return true;
        }
        int allowed = table.name().getBytes(StandardCharsets.UTF_8).length - (bytes - IdentifierRules.MAXIMUM_BYTES);
        diagnostics.error(table.positions().of("name"), Subjects.table(table) + ": the name is too long for the names derived"
                + " from it: \"" + longest + "\" would be " + bytes + " bytes, over PostgreSQL's limit of "
                + IdentifierRules.MAXIMUM_BYTES + "; shorten the table name to at most " + allowed + " bytes");
        return false;
    }

    private static void addDerivedNames(TableSpec table, Map<String, String> derivedNames) {
        String quoted = "\"" + table.name() + "\"";
        if (SpecFacts.isShared(table)) {
            derivedNames.putIfAbsent(table.name() + FOREIGN_SUFFIX, "the foreign companion table of shared table " + quoted);
            return;
        }
        if (!SpecFacts.isSharded(table)) {
            return;
        }
        for (int partition = 0; partition < table.partitions(); partition++) {
            String partitionName = table.name() + "_" + partition;
            derivedNames.putIfAbsent(partitionName, "partition " + partition + " of sharded table " + quoted
                    + " (partitions are named <table>_<n>)");
            derivedNames.putIfAbsent(partitionName + FOREIGN_SUFFIX, "the foreign partition " + partition
                    + " of sharded table " + quoted + " (named <table>_<n>_fdw)");
        }
    }
}
