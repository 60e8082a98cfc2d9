package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a table's {@code grants: {app: [select, insert]}}: role name → privileges, each one of
 * {@link #PRIVILEGES} (any case). Every bad role or privilege is reported at its own position.
 */
final class GrantsParser {
    /** The table privileges shardman manages; lower case as written in the spec. */
    static final List<String> PRIVILEGES = List.of("select", "insert", "update", "delete");

    private final ParseContext context;

    GrantsParser(ParseContext context) {
        this.context = context;
    }

    Map<String, List<String>> parse(MappingNode grants, String subject) {
        TreeMap<String, List<String>> result = new TreeMap<>();
        for (NodeTuple entry : grants.getValue()) {
            Optional<String> role = YamlNodes.text(entry.getKeyNode()).filter(name -> !name.isBlank());
            if (role.isEmpty()) {
                context.error(entry.getKeyNode(), subject + ": a key of grants must be a role name, found "
                        + YamlNodes.describe(entry.getKeyNode()));
                continue;
            }
            privileges(entry.getValueNode(), subject + ": grants of role " + role.get())
                    .ifPresent(privileges -> result.put(role.get(), List.copyOf(privileges)));
        }
        return result;
    }

    private Optional<SortedSet<String>> privileges(Node value, String subject) {
        if (!(value instanceof SequenceNode list) || list.getValue().isEmpty()) {
            context.error(value, subject + " must be a non-empty list of privileges, e.g. [select, insert, update, delete]");
            return Optional.empty();
        }
        SortedSet<String> privileges = new TreeSet<>();
        boolean valid = true;
        for (Node element : list.getValue()) {
            Optional<String> privilege = YamlNodes.text(element).map(text -> text.toLowerCase(Locale.ROOT)).filter(PRIVILEGES::contains);
            if (privilege.isEmpty()) {
                context.error(element, subject + ": " + YamlNodes.describe(element) + " is not a privilege shardman grants; use "
                        + String.join(", ", PRIVILEGES));
                valid = false;
            } else {
                privileges.add(privilege.get().toUpperCase(Locale.ROOT));
            }
        }
        return valid ? Optional.of(privileges) : Optional.empty();
    }
}
