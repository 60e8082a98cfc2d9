package dev.shardman.model.spec;

import dev.shardman.model.SourcePosition;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a table's {@code placement}: partition {@code partition} (with its colocated siblings) has
 * its primary on {@code nodes[0]} and a replica on each further node. Fewer nodes than redundancy + 1 pin
 * only the copies named; the balancer places the others.
 *
 * @param position where the entry's key stands in the file (every message about the pin points there)
 */
public record PartitionPin(int partition, List<String> nodes, SourcePosition position) {
    public PartitionPin {
        nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        requireNonNull(position, "position is null");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a pin names at least its primary's node");
        }
    }

    public String primary() {
        return nodes.get(0);
    }

    public List<String> replicas() {
        return nodes.subList(1, nodes.size());
    }
}
