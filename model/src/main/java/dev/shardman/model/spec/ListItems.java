package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Parses the items of a list of mappings (nodes, tables, columns, indexes), skipping non-mappings. */
final class ListItems {
    private ListItems() {
    }

    /**
     * Applies {@code parser} to each mapping item; reports each other item as
     * "{@code owner}: every entry of {@code key} must be a mapping ...".
     */
    static <T> List<T> parse(List<Node> items, String owner, String key, String example,
                             ParseContext context, Function<MappingNode, T> parser) {
        List<T> parsed = new ArrayList<>();
        for (Node item : items) {
            Optional<MappingNode> mapping = item instanceof MappingNode found ? Optional.of(found) : Optional.empty();
            if (mapping.isPresent()) {
                parsed.add(parser.apply(mapping.get()));
            } else {
                context.error(item, owner + ": every entry of " + key + " must be a mapping such as "
                        + example + ", found " + YamlNodes.describe(item));
            }
        }
        return parsed;
    }
}
