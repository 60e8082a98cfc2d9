package dev.shardman.model.spec;

import dev.shardman.model.DerivedNames;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Every object name shardman derives from a spec's table or index name, built with {@link DerivedNames}
 * (the rules the applier uses), for the last partition (the one with the most digits) and the largest
 * move id: if these fit in 63 bytes, every derived name does.
 */
final class DerivedNameCatalog {
    private static final String LARGEST_MOVE = "move ids reach " + DerivedNames.LARGEST_MOVE_ID;

    private DerivedNameCatalog() {
    }

    /** One derived name and what it is, in words naming its pattern. */
    record DerivedName(String name, String meaning) {
        DerivedName {
            requireNonNull(name, "name is null");
            requireNonNull(meaning, "meaning is null");
        }

        int bytes() {
            return DerivedNames.bytes(name);
        }
    }

    static List<DerivedName> fromTable(TableSpec table) {
        if (SpecFacts.isShared(table)) {
            String name = table.name();
            return List.of(
                    new DerivedName(DerivedNames.foreign(name), "the shared table's foreign table, <table>_fdw"),
                    new DerivedName(DerivedNames.sharedWriteFunction(name), "the shared table's write function, <table>_shardman_write"),
                    new DerivedName(DerivedNames.primaryKey(name), "the shared table's primary key, <table>_pkey"),
                    new DerivedName(DerivedNames.stale(name), "the copy a wiped node keeps, <table>_stale"));
        }
        if (!SpecFacts.isSharded(table)) {
            return List.of();
        }
        String partition = DerivedNames.partition(table.name(), table.partitions() - 1);
        return List.of(
                new DerivedName(partition, "partition " + (table.partitions() - 1) + ", <table>_<n>"),
                new DerivedName(DerivedNames.foreign(partition), "a foreign partition, <table>_<n>_fdw"),
                new DerivedName(DerivedNames.primaryKey(partition), "a partition's primary key, <table>_<n>_pkey"),
                new DerivedName(DerivedNames.stale(partition), "a partition a wiped node keeps, <table>_<n>_stale"),
                new DerivedName(DerivedNames.retired(partition, DerivedNames.LARGEST_MOVE_ID),
                        "a partition retired by a move, <table>_<n>_m<move id>; " + LARGEST_MOVE),
                new DerivedName(DerivedNames.retired(DerivedNames.primaryKey(partition), DerivedNames.LARGEST_MOVE_ID),
                        "a retired partition's primary key, <table>_<n>_pkey_m<move id>; " + LARGEST_MOVE));
    }

    /** The names of a sharded table's index on each partition, live and retired by a move. */
    static List<DerivedName> fromIndex(TableSpec table, IndexSpec index) {
        String partitionIndex = DerivedNames.partitionIndex(index.name(), table.partitions() - 1);
        return List.of(
                new DerivedName(partitionIndex, "the index on partition " + (table.partitions() - 1) + ", <index>_<n>"),
                new DerivedName(DerivedNames.retired(partitionIndex, DerivedNames.LARGEST_MOVE_ID),
                        "the index of a partition retired by a move, <index>_<n>_m<move id>; " + LARGEST_MOVE));
    }
}
