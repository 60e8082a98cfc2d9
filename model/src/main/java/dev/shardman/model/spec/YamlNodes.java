package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.Optional;

/** Small facts about SnakeYAML nodes, worded for messages. */
final class YamlNodes {
    private static final int LONGEST_QUOTED_VALUE = 40;

    private YamlNodes() {
    }

    /** What a node is, for "found ..." in a wrong-type message: {@code a list}, {@code the string "12"}. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.NULL)) {
            return "an empty value";
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + scalar.getValue();
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + shorten(scalar.getValue());
        }
        return "the string \"" + shorten(scalar.getValue()) + "\"";
    }

    /** The text of a scalar that is not null, whatever its resolved type. */
    static Optional<String> text(Node node) {
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            return Optional.of(scalar.getValue());
        }
        return Optional.empty();
    }

    /** The string value of {@code key} in {@code mapping}, without reporting anything (for subjects). */
    static Optional<String> peekString(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (text(tuple.getKeyNode()).filter(key::equals).isPresent()) {
                return text(tuple.getValueNode());
            }
        }
        return Optional.empty();
    }

    private static String shorten(String value) {
        return value.length() <= LONGEST_QUOTED_VALUE ? value : value.substring(0, LONGEST_QUOTED_VALUE) + "...";
    }
}
