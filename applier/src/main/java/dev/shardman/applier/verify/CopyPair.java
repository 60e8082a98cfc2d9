package dev.shardman.applier.verify;

import static java.util.Objects.requireNonNull;

/**
 * A source copy (a partition's primary, a shared table's master data) and one copy that logical
 * replication keeps equal to it; {@code slot} is the replication slot on the source's node that feeds
 * the copy (the subscription's name), the one whose confirmed position says how far the copy has applied.
 */
record CopyPair(Comparison.Kind kind, String table, String name, CopyLocation source, CopyLocation copy, String slot) {
    CopyPair {
        requireNonNull(kind, "kind is null");
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        requireNonNull(copy, "copy is null");
        requireNonNull(slot, "slot is null");
    }
}
