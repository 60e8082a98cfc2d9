package dev.shardman.model.spec;

import dev.shardman.model.NameSuggestions;
import org.snakeyaml.engine.v2.nodes.MappingNode;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one entry of {@code tables:}, with its columns and indexes. Also reports the keys that
 * the table's type requires or forbids, since only the parser can tell an absent key from one
 * whose value was already reported as wrong.
 */
final class TableParser {
    private static final Set<String> KEYS = Set.of("name", "schema", "type", "columns", "primary_key", "indexes",
            "sharding_key", "partitions", "redundancy", "colocate_with", "master", "grants", "placement");
    private static final List<String> SHARDED_ONLY_KEYS = List.of("sharding_key", "partitions", "redundancy", "colocate_with", "placement");

    private final ParseContext context;
    private final ColumnParser columnParser;
    private final IndexParser indexParser;
    private final GrantsParser grantsParser;
    private final PlacementParser placementParser;

    TableParser(ParseContext context) {
        this.context = context;
        this.columnParser = new ColumnParser(context);
        this.indexParser = new IndexParser(context);
        this.grantsParser = new GrantsParser(context);
        this.placementParser = new PlacementParser(context);
    }

    TableSpec parse(MappingNode mapping, SettingsSpec settings) {
        String subject = Subjects.of("table", YamlNodes.peekString(mapping, "name").orElse(""),
                YamlNodes.peekString(mapping, "name").isPresent(), context.position(mapping));
        MappingReader reader = MappingReader.open(mapping, subject, KEYS, context);
        reader.require("name", "name: orders");
        reader.require("type", "type: sharded (or shared)");
        reader.require("columns", "columns: [{name: id, type: bigint}]");
        reader.require("primary_key", "primary_key: [id] (logical replication needs it as the replica identity)");
        Optional<TableType> type = type(reader);
        type.ifPresent(known -> checkKeysOfType(reader, known));
        boolean sharded = type.orElse(TableType.SHARDED) == TableType.SHARDED;
        List<PartitionPin> placement = reader.mapping("placement").map(pins -> placementParser.parse(pins, subject)).orElse(List.of());
        return new TableSpec(
                reader.string("name").orElse(""),
                reader.string("schema").orElse(TableSpec.DEFAULT_SCHEMA),
                type.orElse(TableType.SHARDED),
                reader.list("columns").map(items -> ListItems.parse(items, subject, "columns", "{name: id, type: bigint}",
                        context, column -> columnParser.parse(column, subject))).orElse(List.of()),
                reader.stringList("primary_key").orElse(List.of()),
                reader.list("indexes").map(items -> ListItems.parse(items, subject, "indexes",
                        "{name: orders_created_at_idx, columns: [created_at]}",
                        context, index -> indexParser.parse(index, subject))).orElse(List.of()),
                reader.string("sharding_key"),
                reader.integer("partitions").orElse(sharded ? settings.defaultPartitions() : 0),
                reader.integer("redundancy").orElse(0),
                reader.string("colocate_with"),
                reader.string("master"),
                reader.positions(),
                reader.mapping("grants").map(grants -> grantsParser.parse(grants, subject)).orElse(java.util.Map.of()),
                placement);
    }

    private Optional<TableType> type(MappingReader reader) {
        Optional<String> keyword = reader.string("type");
        Optional<TableType> type = keyword.flatMap(word -> Arrays.stream(TableType.values())
                .filter(candidate -> candidate.keyword().equals(word)).findFirst());
        if (keyword.isPresent() && type.isEmpty()) {
            List<String> keywords = Arrays.stream(TableType.values()).map(TableType::keyword).toList();
            String suggestion = NameSuggestions.didYouMean(keyword.get(), keywords);
            reader.reject("type", "type \"" + keyword.get() + "\" is neither sharded nor shared"
                    + (suggestion.isEmpty() ? "; write type: sharded or type: shared" : suggestion));
        }
        return type;
    }

    private void checkKeysOfType(MappingReader reader, TableType type) {
        if (type == TableType.SHARDED) {
            reader.require("sharding_key", "sharding_key: id (a NOT NULL column of the primary key)");
            if (reader.has("master")) {
                reader.reject("master", "master is for shared tables only; a sharded table is spread over"
                        + " all nodes: remove master, or make the table type: shared");
            }
            return;
        }
        reader.require("master", "master: w1 (the node where the shared table is written)");
        for (String key : SHARDED_ONLY_KEYS) {
            if (reader.has(key)) {
                reader.reject(key, key + " is for sharded tables only; a shared table is kept whole on"
                        + " every node: remove " + key + ", or make the table type: sharded");
            }
        }
    }
}
