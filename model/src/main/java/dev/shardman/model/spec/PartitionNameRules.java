package dev.shardman.model.spec;

import dev.shardman.model.DerivedNames;
import dev.shardman.model.SourcePosition;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names that shardman derives must fit and must not collide. In a table's schema: partition n of sharded table t is
 * {@code t_n}, with its foreign stand-in {@code t_n_fdw}, its primary key {@code t_n_pkey}, a wiped node's copy
 * {@code t_n_stale} and index i's {@code i_n}; shared table s has {@code s_fdw} and a wiped node's {@code s_stale}.
 * In {@code shardman_shared}: s's data table {@code s} and its key {@code s_pkey}. A table or index of the spec may
 * not be named like one of those (relations and indexes share one namespace), and no derived name
 * ({@link DerivedNameCatalog}: partitions, keys, indexes, shared-table objects, moves' retired names up
 * to the largest move id) may exceed PostgreSQL's 63 bytes (it would be truncated, maybe onto another name).
 */
final class PartitionNameRules implements SpecRule {
    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        Map<String, String> derivedNames = new HashMap<>();
        Map<String, String> sharedDataNames = new HashMap<>();
        for (TableSpec table : spec.tables()) {
            if (SpecFacts.isNamed(table) && IdentifierRules.problem(table.name()).isEmpty() && checkLength(table, diagnostics)) {
                addDerivedNames(table, derivedNames, sharedDataNames);
            }
        }
        for (TableSpec table : spec.tables()) {
            String owner = derivedNames.get(table.name());
            if (owner == null && SpecFacts.isShared(table)) {
                owner = sharedDataNames.get(table.name());
            }
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

    private static void addDerivedNames(TableSpec table, Map<String, String> derivedNames, Map<String, String> sharedDataNames) {
        String quoted = "\"" + table.name() + "\"";
        if (SpecFacts.isShared(table)) {
            derivedNames.putIfAbsent(DerivedNames.foreign(table.name()), "the foreign companion table of shared table " + quoted);
            derivedNames.putIfAbsent(DerivedNames.stale(table.name()), "the copy of shared table " + quoted
                    + " that a wiped node keeps (named <table>_stale)");
            sharedDataNames.putIfAbsent(DerivedNames.primaryKey(table.name()), "the primary key of the data of shared table " + quoted
                    + " in schema shardman_shared (named <table>_pkey)");
            return;
        }
        if (!SpecFacts.isSharded(table)) {
            return;
        }
        for (int partition = 0; partition < table.partitions(); partition++) {
            String partitionName = DerivedNames.partition(table.name(), partition);
            String ofPartition = " of partition " + partition + " of sharded table " + quoted;
            derivedNames.putIfAbsent(partitionName, "partition " + partition + " of sharded table " + quoted
                    + " (partitions are named <table>_<n>)");
            derivedNames.putIfAbsent(DerivedNames.foreign(partitionName), "the foreign partition " + partition
                    + " of sharded table " + quoted + " (named <table>_<n>_fdw)");
            derivedNames.putIfAbsent(DerivedNames.primaryKey(partitionName), "the primary key" + ofPartition + " (named <table>_<n>_pkey)");
            derivedNames.putIfAbsent(DerivedNames.stale(partitionName), "the copy" + ofPartition
                    + " that a wiped node keeps (named <table>_<n>_stale)");
            for (IndexSpec index : table.indexes()) {
                derivedNames.putIfAbsent(DerivedNames.partitionIndex(index.name(), partition), "index \"" + index.name() + "\""
                        + ofPartition + " (named <index>_<n>)");
            }
        }
    }
}
