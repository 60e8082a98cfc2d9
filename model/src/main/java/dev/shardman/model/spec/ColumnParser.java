package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;

import java.util.Set;

/** Reads one entry of a table's {@code columns:}; nullable defaults to true, as in SQL. */
final class ColumnParser {
    private static final Set<String> KEYS = Set.of("name", "type", "nullable", "default");

    private final ParseContext context;

    ColumnParser(ParseContext context) {
        this.context = context;
    }

    ColumnSpec parse(MappingNode mapping, String tableSubject) {
        String subject = tableSubject + ": " + Subjects.of("column", YamlNodes.peekString(mapping, "name").orElse(""),
                YamlNodes.peekString(mapping, "name").isPresent(), context.position(mapping));
        MappingReader reader = MappingReader.open(mapping, subject, KEYS, context);
        reader.require("name", "{name: id, type: bigint}");
        reader.require("type", "type: bigint");
        return new ColumnSpec(
                reader.string("name").orElse(""),
                reader.string("type").orElse(""),
                reader.bool("nullable").orElse(true),
                reader.string("default"),
                reader.positions());
    }
}
