package dev.shardman.applier.objects;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A local partition {@code t_n} (this node holds the primary), attached in its slot; observed ones may be detached (empty slot). */
public record LocalPartition(TableName table, Optional<PartitionSlot> slot) implements NodeObject {
    public LocalPartition {
        requireNonNull(table, "table is null");
        requireNonNull(slot, "slot is null");
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.LOCAL_PARTITION, table.toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitLocalPartition(this);
    }

    @Override
    public String describe() {
        return "local partition " + table + slot.map(value -> " attached as " + value).orElse(" (detached)");
    }
}
