package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;

import java.util.List;
import java.util.Set;

/** Reads one entry of a table's {@code indexes:}; unique defaults to false. */
final class IndexParser {
    private static final Set<String> KEYS = Set.of("name", "columns", "unique");

    private final ParseContext context;

    IndexParser(ParseContext context) {
        this.context = context;
    }

    IndexSpec parse(MappingNode mapping, String tableSubject) {
        String subject = tableSubject + ": " + Subjects.of("index", YamlNodes.peekString(mapping, "name").orElse(""),
                YamlNodes.peekString(mapping, "name").isPresent(), context.position(mapping));
        MappingReader reader = MappingReader.open(mapping, subject, KEYS, context);
        reader.require("name", "{name: orders_created_at_idx, columns: [created_at]}");
        reader.require("columns", "columns: [created_at]");
        return new IndexSpec(
                reader.string("name").orElse(""),
                reader.stringList("columns").orElse(List.of()),
                reader.bool("unique").orElse(false),
                reader.positions());
    }
}
