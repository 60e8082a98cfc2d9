package dev.shardman.applier.verify;

import static java.util.Objects.requireNonNull;

/**
 * What two copies of a partition must agree on: the row count and an order-independent checksum (the
 * sum of a 64-bit hash of every row's text, as a decimal string: the sum of bigints is a numeric, so it
 * cannot overflow).
 */
public record TableChecksum(long rows, String checksum) {
    public TableChecksum {
        requireNonNull(checksum, "checksum is null");
    }

    @Override
    public String toString() {
        return rows + " rows, checksum " + checksum;
    }
}
