package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a table's {@code placement: {3: [w4, w2]}}: partition number → [primary's node, replicas' nodes...].
 * Reports the shape only (a key that is not a partition number, a value that is not a non-empty list of
 * names, a partition given twice); {@link PlacementRules} checks the pins against the nodes and the table.
 */
final class PlacementParser {
    private final ParseContext context;

    PlacementParser(ParseContext context) {
        this.context = context;
    }

    List<PartitionPin> parse(MappingNode placement, String subject) {
        List<PartitionPin> pins = new ArrayList<>();
        Map<Integer, Node> seen = new HashMap<>();
        for (NodeTuple entry : placement.getValue()) {
            Optional<Integer> partition = partitionNumber(entry.getKeyNode());
            if (partition.isEmpty()) {
                context.error(entry.getKeyNode(), subject + ": a key of placement must be a partition number (0, 1, ...), found "
                        + YamlNodes.describe(entry.getKeyNode()) + "; e.g. placement: {3: [w4, w2]}");
                continue;
            }
            Node first = seen.putIfAbsent(partition.get(), entry.getKeyNode());
            if (first != null) {
                context.error(entry.getKeyNode(), subject + ": placement of partition " + partition.get() + " is given twice (first at line "
                        + context.position(first).line() + "); keep one");
                continue;
            }
            nodes(entry.getValueNode(), subject + ": placement of partition " + partition.get())
                    .ifPresent(nodes -> pins.add(new PartitionPin(partition.get(), nodes, context.position(entry.getKeyNode()))));
        }
        return pins;
    }

    /** A plain whole number, written bare (3) or quoted ("3"), of at most 9 digits. */
    private static Optional<Integer> partitionNumber(Node key) {
        return YamlNodes.text(key).filter(text -> text.matches("[0-9]{1,9}")).map(Integer::valueOf);
    }

    private Optional<List<String>> nodes(Node value, String subject) {
        if (!(value instanceof SequenceNode list) || list.getValue().isEmpty()) {
            context.error(value, subject + " must be a non-empty list of node names, the primary's first, e.g. [w4, w2], found "
                    + (value instanceof SequenceNode ? "an empty list" : YamlNodes.describe(value)));
            return Optional.empty();
        }
        List<String> nodes = new ArrayList<>();
        for (Node element : list.getValue()) {
            Optional<String> name = YamlNodes.text(element);
            if (name.isEmpty()) {
                context.error(element, subject + ": every element must be a node name, found " + YamlNodes.describe(element));
                return Optional.empty();
            }
            nodes.add(name.get());
        }
        return Optional.of(nodes);
    }
}
