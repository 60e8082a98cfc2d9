package dev.shardman.planner.step;

import static java.util.Objects.requireNonNull;

/**
 * What an index step does to its table: {@code builds} an index (after the table's new and altered columns exist)
 * and/or {@code drops} one (before the table's columns are dropped). Re-creating an index does both.
 */
public record IndexChange(String table, boolean builds, boolean drops) {
    public IndexChange {
        requireNonNull(table, "table is null");
        if (!builds && !drops) {
            throw new IllegalArgumentException("an index change of " + table + " neither builds nor drops");
        }
    }
}
