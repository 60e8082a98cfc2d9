package dev.shardman.planner.placement;

import java.util.Comparator;

import static java.util.Objects.requireNonNull;

/** Partition {@code index} of the colocation group whose root (anchor) table is {@code root}: one unit of placement. */
public record UnitKey(String root, int index) implements Comparable<UnitKey> {
    private static final Comparator<UnitKey> ORDER = Comparator.comparing(UnitKey::root).thenComparingInt(UnitKey::index);

    public UnitKey {
        requireNonNull(root, "root is null");
    }

    @Override
    public int compareTo(UnitKey other) {
        return ORDER.compare(this, other);
    }
}
