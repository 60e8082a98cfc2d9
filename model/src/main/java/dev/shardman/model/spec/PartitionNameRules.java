package dev.shardman.model.spec;

import dev.shardman.model.DerivedNames;
import dev.shardman.model.SourcePosition;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names that shardman derives must fit and must not collide: partition n of sharded table t is
 * {@code t_n} and its foreign stand-in {@code t_n_fdw}; shared table s has a companion {@code s_fdw}.
 * A table or index of the spec may not be named like one of those, and no derived name
 * ({@link DerivedNameCatalog}: partitions, keys, indexes, shared-table objects, moves' retired names up
 * to the largest move id) may exceed PostgreSQL's 63 bytes (it would be truncated, maybe onto another name).
 */
final class PartitionNameRules implements SpecRule {
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

    private static boolean checkLength(TableSpec table, Diagnostics diagnostics) {
        if (SpecFacts.isSharded(table) && !TableRules.isValidPartitionCount(table.partitions())) {
            return false;
        }
        boolean fits = reportLongest(table.positions().of("name"), Subjects.table(table), table.name(),
                DerivedNameCatalog.fromTable(table), diagnostics);
        if (SpecFacts.isSharded(table)) {
            for (IndexSpec index : table.indexes()) {
                if (index.positions().has("name")) {
                    reportLongest(index.positions().of("name"), Subjects.index(table, index), index.name(),
                            DerivedNameCatalog.fromIndex(table, index), diagnostics);
                }
            }
        }
        return fits;
    }

    /** Reports the longest of {@code derived} when it is over the limit; true when all fit. */
    private static boolean reportLongest(SourcePosition position, String subject, String value,
                                         List<DerivedNameCatalog.DerivedName> derived, Diagnostics diagnostics) {
        Optional<DerivedNameCatalog.DerivedName> longest = derived.stream()
                .max(Comparator.comparingInt(DerivedNameCatalog.DerivedName::bytes));
        if (longest.isEmpty() || longest.get().bytes() <= DerivedNames.MAXIMUM_BYTES) {
            return true;
        }
        int bytes = longest.get().bytes();
        int allowed = DerivedNames.bytes(value) - (bytes - DerivedNames.MAXIMUM_BYTES);
        diagnostics.error(position, subject + ": the name is too long for the names shardman derives from it: \""
                + longest.get().name() + "\" (" + longest.get().meaning() + ") would be " + bytes + " bytes, over PostgreSQL's limit of "
                + DerivedNames.MAXIMUM_BYTES + " (it would be truncated); shorten the name to at most " + Math.max(allowed, 0) + " bytes");
        return false;
    }

    private static void addDerivedNames(TableSpec table, Map<String, String> derivedNames) {
        String quoted = "\"" + table.name() + "\"";
        if (SpecFacts.isShared(table)) {
            derivedNames.putIfAbsent(DerivedNames.foreign(table.name()), "the foreign companion table of shared table " + quoted);
            return;
        }
        if (!SpecFacts.isSharded(table)) {
            return;
        }
        for (int partition = 0; partition < table.partitions(); partition++) {
            String partitionName = DerivedNames.partition(table.name(), partition);
            derivedNames.putIfAbsent(partitionName, "partition " + partition + " of sharded table " + quoted
                    + " (partitions are named <table>_<n>)");
            derivedNames.putIfAbsent(DerivedNames.foreign(partitionName), "the foreign partition " + partition
                    + " of sharded table " + quoted + " (named <table>_<n>_fdw)");
        }
    }
}
