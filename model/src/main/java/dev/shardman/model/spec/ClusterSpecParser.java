package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps the root node of cluster.yaml to a ClusterSpec. Problems go to the diagnostics; absent or
 * unusable values become placeholders (empty names, defaults) without positions, so that parsing
 * goes on and every problem is found in one run. The result is only handed out when no error was found.
 */
final class ClusterSpecParser {
    static final int SUPPORTED_VERSION = 1;
    private static final Set<String> KEYS = Set.of("version", "cluster", "shardlord", "settings", "nodes", "tables");

    private final ParseContext context;

    ClusterSpecParser(ParseContext context) {
        this.context = context;
    }

    Optional<ClusterSpec> parse(Node root) {
        if (!(root instanceof MappingNode mapping)) {
            context.error(root, "the spec must be a mapping with the keys cluster, shardlord and nodes, found "
                    + YamlNodes.describe(root));
            return Optional.empty();
        }
        MappingReader reader = MappingReader.open(mapping, "spec", KEYS, context);
        reader.require("cluster", "cluster: demo");
        reader.require("shardlord", "shardlord: \"host=db0 port=5432 dbname=postgres user=postgres\"");
        reader.require("nodes", "nodes: [{name: w1, super_conninfo: \"host=db1 dbname=postgres user=postgres\"}]");
        checkVersion(reader);
        SettingsParser settingsParser = new SettingsParser(context);
        SettingsSpec settings = reader.mapping("settings").map(settingsParser::parse).orElse(settingsParser.defaults());
        NodeParser nodeParser = new NodeParser(context);
        TableParser tableParser = new TableParser(context);
        return Optional.of(new ClusterSpec(
                context.file(),
                reader.string("cluster").orElse(""),
                reader.string("shardlord").orElse(""),
                settings,
                reader.list("nodes").map(items -> ListItems.parse(items, "spec", "nodes",
                        "{name: w1, super_conninfo: \"...\"}", context, nodeParser::parse)).orElse(List.of()),
                reader.list("tables").map(items -> ListItems.parse(items, "spec", "tables",
                        "{name: orders, type: sharded, ...}", context, table -> tableParser.parse(table, settings)))
                        .orElse(List.of()),
                reader.positions()));
    }

    private static void checkVersion(MappingReader reader) {
        reader.integer("version").filter(version -> version != SUPPORTED_VERSION).ifPresent(version ->
                reader.reject("version", "version " + version + " is not supported; this shardman reads spec version "
                        + SUPPORTED_VERSION + " (write version: 1 or leave it out)"));
    }
}
