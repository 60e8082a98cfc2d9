package dev.shardman.applier.objects;

import static java.util.Objects.requireNonNull;

/** Where a partition is attached: {@code parent FOR VALUES WITH (MODULUS modulus, REMAINDER remainder)}. */
public record PartitionSlot(TableName parent, int modulus, int remainder) {
    public PartitionSlot {
        requireNonNull(parent, "parent is null");
        if (modulus <= 0 || remainder < 0 || remainder >= modulus) {
            throw new IllegalArgumentException("invalid hash slot of " + parent + ": modulus " + modulus + ", remainder " + remainder);
        }
    }

    @Override
    public String toString() {
        return "remainder " + remainder + " (modulus " + modulus + ") of " + parent;
    }
}
