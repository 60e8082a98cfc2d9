package dev.shardman.model.state;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The bytes of each partition's primary copy ({@code pg_total_relation_size}: table, indexes and TOAST), by partition
 * name, as read from the nodes when a plan that balances by size was made. Not shardlord metadata: the live metadata
 * never has them ({@link #UNKNOWN}); online planning reads them from the nodes, and a state snapshot records them so
 * that an offline plan is the same as the online one. Keyed by partition name, so moves keep them valid.
 *
 * @param known false: no sizes were read (not: every partition is empty)
 */
public record PartitionBytes(boolean known, Map<String, Long> bytes) {
    public static final PartitionBytes UNKNOWN = new PartitionBytes(false, Map.of());

    public PartitionBytes {
        requireNonNull(bytes, "bytes is null");
        bytes.forEach((partition, size) -> {
            if (size < 0) {
                throw new IllegalArgumentException("partition " + partition + " has a negative size: " + size);
            }
        });
        bytes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(bytes));
        if (!known && !bytes.isEmpty()) {
            throw new IllegalArgumentException("unknown sizes cannot list partitions");
        }
    }

    public static PartitionBytes of(Map<String, Long> bytes) {
        return new PartitionBytes(true, bytes);
    }

    public OptionalLong of(String partition) {
        Long size = bytes.get(partition);
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }
}
