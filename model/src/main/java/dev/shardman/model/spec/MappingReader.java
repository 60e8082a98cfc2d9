package dev.shardman.model.spec;

import dev.shardman.model.NameSuggestions;
import dev.shardman.model.SourcePosition;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the values of one YAML mapping with the types the spec expects, reporting every problem
 * (duplicate key, unknown key, missing key, wrong type) to the diagnostics instead of throwing.
 * A getter returns empty when the key is absent or its value is unusable; only values read
 * successfully get a position in {@link #positions()}, so that later rules can tell "absent or
 * already reported" ({@code !positions.has(key)}) from a real value.
 */
final class MappingReader {
    private final MappingNode mapping;
    private final String subject;
    private final ParseContext context;
    private final Map<String, Node> values = new LinkedHashMap<>();
    private final Map<String, SourcePosition> positions = new LinkedHashMap<>();

    private MappingReader(MappingNode mapping, String subject, ParseContext context) {
        this.mapping = mapping;
        this.subject = subject;
        this.context = context;
    }

    /** Opens {@code mapping}, reporting keys that are not strings, repeated, or not in {@code knownKeys}. */
    static MappingReader open(MappingNode mapping, String subject, Set<String> knownKeys, ParseContext context) {
        MappingReader reader = new MappingReader(mapping, subject, context);
        Map<String, Node> firstKeys = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Optional<String> key = keyNode instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)
                    ? Optional.of(scalar.getValue()) : Optional.empty();
            if (key.isEmpty()) {
                reader.report(keyNode, "a key must be a plain word, found " + YamlNodes.describe(keyNode));
            } else if (firstKeys.containsKey(key.get())) {
                reader.report(keyNode, "duplicate key \"" + key.get() + "\" (first given at line "
                        + context.position(firstKeys.get(key.get())).line() + "); remove one of them");
            } else if (!knownKeys.contains(key.get())) {
                firstKeys.put(key.get(), keyNode);
                reader.report(keyNode, unknownKeyMessage(key.get(), knownKeys));
            } else {
                firstKeys.put(key.get(), keyNode);
                reader.values.put(key.get(), tuple.getValueNode());
            }
        }
        return reader;
    }

    String subject() {
        return subject;
    }

    SourcePosition start() {
        return context.position(mapping);
    }

    /** Reports {@code key} when the mapping lacks it; {@code example} shows a line to add. */
    void require(String key, String example) {
        if (!values.containsKey(key)) {
            context.diagnostics().error(start(), subject + ": missing required key \"" + key + "\"; add it, e.g. " + example);
        }
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Optional<String> string(String key) {
        return value(key).flatMap(node -> accept(key, node, YamlNodes.text(node), "a string", ""));
    }

    Optional<Boolean> bool(String key) {
        return value(key).flatMap(node -> accept(key, node,
                isScalar(node, Tag.BOOL) ? Optional.of(((ScalarNode) node).getValue().equalsIgnoreCase("true")) : Optional.empty(),
                "true or false", ""));
    }

    Optional<Integer> integer(String key) {
        Optional<Node> node = value(key);
        if (node.isPresent() && isScalar(node.get(), Tag.INT)) {
            BigInteger number = parseCoreInteger(((ScalarNode) node.get()).getValue());
            if (number.bitLength() >= Integer.SIZE) {
                report(node.get(), key + " is " + number + ", which is too large (over " + Integer.MAX_VALUE + ")");
                return Optional.empty();
            }
        }
        return node.flatMap(found -> accept(key, found,
                isScalar(found, Tag.INT) ? Optional.of(parseCoreInteger(((ScalarNode) found).getValue()).intValue()) : Optional.empty(),
                "a whole number", isScalar(found, Tag.STR) ? "; write it without quotes" : ""));
    }

    /** A whole or decimal number written as such (1, 2.5, 1e3; not .inf or .nan), exactly as written. */
    Optional<BigDecimal> decimal(String key) {
        return value(key).flatMap(node -> accept(key, node, decimalValue(node), "a number", isScalar(node, Tag.STR) ? "; write it without quotes" : ""));
    }

    private static Optional<BigDecimal> decimalValue(Node node) {
        if (isScalar(node, Tag.INT)) {
            return Optional.of(new BigDecimal(parseCoreInteger(((ScalarNode) node).getValue())));
        }
        if (isScalar(node, Tag.FLOAT)) {
            try {
                return Optional.of(new BigDecimal(((ScalarNode) node).getValue()));
            } catch (NumberFormatException notFinite) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    Optional<MappingNode> mapping(String key) {
        return value(key).flatMap(node -> accept(key, node,
                node instanceof MappingNode found ? Optional.of(found) : Optional.empty(), "a mapping (key: value lines)", ""));
    }

    Optional<List<Node>> list(String key) {
        return value(key).flatMap(node -> accept(key, node,
                node instanceof SequenceNode found ? Optional.of(found.getValue()) : Optional.empty(),
                "a list", " (write [a, b] or one \"- item\" per line)"));
    }

    /** A list of strings; one bad element spoils the whole value (it is reported, and empty is returned). */
    Optional<List<String>> stringList(String key) {
        Optional<List<Node>> elements = list(key);
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        List<String> strings = new ArrayList<>();
        for (Node element : elements.get()) {
            Optional<String> text = YamlNodes.text(element);
            if (text.isEmpty()) {
                report(element, "every element of " + key + " must be a name, found " + YamlNodes.describe(element));
                positions.remove(key);
                return Optional.empty();
            }
            strings.add(text.get());
        }
        return Optional.of(strings);
    }

    /** Reports a value that has the right type but is not allowed, and forgets its position. */
    void reject(String key, String problem) {
        Node node = values.get(key);
        context.error(node, subject + ": " + problem);
        positions.remove(key);
    }

    Positions positions() {
        return new Positions(start(), positions);
    }

    private Optional<Node> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    private <T> Optional<T> accept(String key, Node node, Optional<T> converted, String expected, String hint) {
        if (converted.isPresent()) {
            positions.put(key, context.position(node));
        } else {
            report(node, key + " must be " + expected + ", found " + YamlNodes.describe(node) + hint);
        }
        return converted;
    }

    /** YAML 1.2 core schema integers: decimal with an optional sign, 0o octal, 0x hexadecimal. */
    private static BigInteger parseCoreInteger(String text) {
        if (text.startsWith("0x")) {
            return new BigInteger(text.substring(2), 16);
        }
        if (text.startsWith("0o")) {
            return new BigInteger(text.substring(2), 8);
        }
        return new BigInteger(text.startsWith("+") ? text.substring(1) : text);
    }

    private static boolean isScalar(Node node, Tag tag) {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(tag);
    }

    private void report(Node node, String problem) {
        context.error(node, subject + ": " + problem);
    }

    private static String unknownKeyMessage(String key, Set<String> knownKeys) {
        String suggestion = NameSuggestions.didYouMean(key, knownKeys);
        return "unknown key \"" + key + "\"" + (suggestion.isEmpty()
                ? "; expected one of: " + String.join(", ", new TreeSet<>(knownKeys)) : suggestion);
    }
}
