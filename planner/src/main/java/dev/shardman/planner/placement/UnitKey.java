package dev.shardman.planner.placement;

import static java.util.Objects.requireNonNull;

/** Partition {@code index} of the colocation group whose root (anchor) table is {@code root}: one unit of placement. */
public record UnitKey(String root, int index) implements Comparable<UnitKey> {
    public UnitKey {
        requireNonNull(root, "root is null");
    }

    /**
     * Spreads the keys: the record's default (31 · hash(root) + index) collides for roots whose names differ
     * in the last character ("t001" vs "t000" differ by 1, so (t000, i + 31) = (t001, i)), which at 200 tables
     * × 1,024 partitions put ~28 keys on every hash value and turned the planner's hash maps into trees.
     */
    @Override
    public int hashCode() {
        return root.hashCode() * 1_000_003 + index;
    }

    @Override
    public int compareTo(UnitKey other) {
        int compared = root.compareTo(other.root);
        return compared != 0 ? compared : Integer.compare(index, other.index);
    }
}
