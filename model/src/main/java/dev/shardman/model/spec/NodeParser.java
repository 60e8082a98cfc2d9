package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;

import java.util.Set;

/** Reads one entry of {@code nodes:}. A node without replication_group forms a group named after itself. */
final class NodeParser {
    private static final Set<String> KEYS = Set.of("name", "super_conninfo", "conninfo", "replication_group", "lost");

    private final ParseContext context;

    NodeParser(ParseContext context) {
        this.context = context;
    }

    NodeSpec parse(MappingNode mapping) {
        String subject = Subjects.of("node", YamlNodes.peekString(mapping, "name").orElse(""),
                YamlNodes.peekString(mapping, "name").isPresent(), context.position(mapping));
        MappingReader reader = MappingReader.open(mapping, subject, KEYS, context);
        reader.require("name", "name: w1");
        reader.require("super_conninfo", "super_conninfo: \"host=db1 port=5432 dbname=postgres user=postgres\"");
        String name = reader.string("name").orElse("");
        return new NodeSpec(
                name,
                reader.string("super_conninfo").orElse(""),
                reader.string("conninfo"),
                reader.string("replication_group").orElse(name),
                reader.bool("lost").orElse(false),
                reader.positions());
    }
}
