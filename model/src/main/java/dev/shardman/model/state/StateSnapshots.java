package dev.shardman.model.state;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.spec.TableType;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and writes state snapshots ({@code --state}, {@code --out-state}, {@code shardman state pull}): the only code
 * that knows the snapshot keys. {@code .json} files are written as JSON, anything else as YAML; reading accepts both
 * and names {@code file:line:column} in every error. {@code settings} and {@code partition_bytes} are written only when
 * they matter ({@link ClusterSettings#DEFAULTS}, {@link PartitionBytes}), so planning from a snapshot gives the same
 * plan. Keys: docs/internals/metadata-and-lock.md, "State snapshots".
 */
public final class StateSnapshots {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern PLAIN_RESERVED = Pattern.compile("(?i)true|false|null|yes|no|on|off|y|n|~");

    private StateSnapshots() {
    }

    public static ClusterState read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException exception) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, file + ": cannot read the state file: " + exception.getMessage(),
                    "check the path given to --state", exception);
        }
        return parse(content, file.toString());
    }

    public static void write(ClusterState state, Path file) {
        String content = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? toJson(state) : toYaml(state);
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException exception) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, file + ": cannot write the state file: " + exception.getMessage(), "", exception);
        }
    }

    /**
     * Parses a snapshot in YAML or JSON (content starting with <code>{</code>); {@code fileName} is used in
     * messages only. JSON goes through Jackson's streaming parser (fast on large states) into the same
     * positioned tree that YAML composes to, so both are checked by one reader.
     */
    public static ClusterState parse(String content, String fileName) {
        if (content.stripLeading().startsWith("{")) {
            return new Reader(fileName).state(composeJson(content, fileName));
        }
        try {
            return new Reader(fileName).state(composeYaml(content, fileName, false));
        } catch (ShardmanException withoutPositions) {
            new Reader(fileName).state(composeYaml(content, fileName, true));
            throw withoutPositions;
        }
    }

    /**
     * Composes YAML; without marks (positions) it is much faster on large states, so a state is first read
     * without them, and only a state with a problem is read again with them to say where the problem is.
     */
    private static Node composeYaml(String content, String fileName, boolean useMarks) {
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(fileName).setCodePointLimit(Integer.MAX_VALUE).setUseMarks(useMarks).build();
            return new Compose(settings).composeString(content)
                    .orElseThrow(() -> new ShardmanException(ErrorCode.INVALID_INPUT, fileName + ":1:1: the state file is empty", ""));
        } catch (MarkedYamlEngineException exception) {
            Mark mark = exception.getProblemMark().or(exception::getContextMark).orElse(null);
            String where = mark == null ? fileName : fileName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            throw new ShardmanException(ErrorCode.INVALID_INPUT, where + ": malformed state file: " + exception.getProblem(), "", exception);
        } catch (YamlEngineException exception) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, fileName + ": malformed state file: " + exception.getMessage(), "", exception);
        }
    }

    private static Node composeJson(String content, String fileName) {
        try (JsonParser parser = JSON.getFactory().createParser(content)) {
            parser.nextToken();
            Node root = jsonNode(parser, fileName);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "unexpected content after the state object");
            }
            return root;
        } catch (JsonProcessingException exception) {
            JsonLocation location = exception.getLocation();
            String where = location == null ? fileName : fileName + ":" + location.getLineNr() + ":" + location.getColumnNr();
            throw new ShardmanException(ErrorCode.INVALID_INPUT, where + ": malformed state file: " + exception.getOriginalMessage(), "", exception);
        } catch (IOException exception) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, fileName + ": malformed state file: " + exception.getMessage(), "", exception);
        }
    }

    /** The JSON value at the parser's current token as a YAML node carrying its line and column. */
    private static Node jsonNode(JsonParser parser, String fileName) throws IOException {
        JsonLocation location = parser.currentTokenLocation();
        Optional<Mark> mark = Optional.of(new Mark(fileName, (int) Math.min(Integer.MAX_VALUE, location.getCharOffset()),
                location.getLineNr() - 1, location.getColumnNr() - 1, new int[0], 0));
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            List<NodeTuple> tuples = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                JsonLocation keyLocation = parser.currentTokenLocation();
                Optional<Mark> keyMark = Optional.of(new Mark(fileName, (int) Math.min(Integer.MAX_VALUE, keyLocation.getCharOffset()),
                        keyLocation.getLineNr() - 1, keyLocation.getColumnNr() - 1, new int[0], 0));
                Node key = new ScalarNode(Tag.STR, true, parser.currentName(), ScalarStyle.DOUBLE_QUOTED, keyMark, keyMark);
                parser.nextToken();
                tuples.add(new NodeTuple(key, jsonNode(parser, fileName)));
            }
            return new MappingNode(Tag.MAP, true, tuples, FlowStyle.FLOW, mark, mark);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(jsonNode(parser, fileName));
            }
            return new SequenceNode(Tag.SEQ, true, items, FlowStyle.FLOW, mark, mark);
        }
        Tag tag = switch (token) {
            case VALUE_NULL -> Tag.NULL;
            case VALUE_TRUE, VALUE_FALSE -> Tag.BOOL;
            case VALUE_NUMBER_INT -> Tag.INT;
            case VALUE_NUMBER_FLOAT -> Tag.FLOAT;
            default -> Tag.STR;
        };
        return new ScalarNode(tag, true, parser.getText(), ScalarStyle.PLAIN, mark, mark);
    }

    /**
     * The state as YAML: block style for the top level and tables, one flow mapping per line for nodes,
     * columns, indexes, partitions and replicas. Written directly (the tree is small and fixed), which is
     * an order of magnitude faster than a generic emitter on states with hundreds of thousands of copies.
     */
    public static String toYaml(ClusterState state) {
        StringBuilder yaml = new StringBuilder(128 + 64 * (state.partitions().size() + state.replicas().size()));
        tree(state).forEach((key, value) -> {
            yaml.append(key).append(':');
            if (value instanceof List<?> list) {
                if (list.isEmpty()) {
                    yaml.append(" []\n");
                    return;
                }
                yaml.append('\n');
                for (Object item : list) {
                    yaml.append("- ");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) item;
                    if (map.values().stream().anyMatch(entry -> entry instanceof List<?> nested && !nested.isEmpty() && nested.get(0) instanceof Map<?, ?>)) {
                        blockMapping(yaml, map);
                    } else {
                        flow(yaml, map);
                        yaml.append('\n');
                    }
                }
            } else {
                yaml.append(' ');
                flow(yaml, value);
                yaml.append('\n');
            }
        });
        return yaml.toString();
    }

    /** A table entry: its keys one per line, its columns and indexes as lists of flow mappings. */
    private static void blockMapping(StringBuilder yaml, Map<String, Object> map) {
        boolean first = true;
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            yaml.append(first ? "" : "  ").append(entry.getKey()).append(':');
            first = false;
            if (entry.getValue() instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?>) {
                yaml.append('\n');
                for (Object item : list) {
                    yaml.append("  - ");
                    flow(yaml, item);
                    yaml.append('\n');
                }
            } else {
                yaml.append(' ');
                flow(yaml, entry.getValue());
                yaml.append('\n');
            }
        }
    }

    private static void flow(StringBuilder yaml, Object value) {
        if (value instanceof Map<?, ?> map) {
            yaml.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                yaml.append(first ? "" : ", ");
                flow(yaml, entry.getKey());
                yaml.append(": ");
                first = false;
                flow(yaml, entry.getValue());
            }
            yaml.append('}');
        } else if (value instanceof List<?> list) {
            yaml.append('[');
            for (int i = 0; i < list.size(); i++) {
                yaml.append(i == 0 ? "" : ", ");
                flow(yaml, list.get(i));
            }
            yaml.append(']');
        } else if (value instanceof Boolean || value instanceof Number) {
            yaml.append(value);
        } else {
            String text = value.toString();
            if (PLAIN_SAFE.matcher(text).matches() && !PLAIN_RESERVED.matcher(text).matches()) {
                yaml.append(text);
            } else {
                yaml.append('"').append(JsonStringEncoder.getInstance().quoteAsString(text)).append('"');
            }
        }
    }

    public static String toJson(ClusterState state) {
        try {
            return JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree(state)) + "\n";
        } catch (JsonProcessingException exception) {
            throw new ShardmanException(ErrorCode.INTERNAL, "cannot write the state as JSON", exception.getMessage(), exception);
        }
    }

    // ---- writing: state → ordered tree of maps, lists and scalars ----

    private static Map<String, Object> tree(ClusterState state) {
        refuseLiteralPasswords(state);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", FORMAT_VERSION);
        root.put("lineage", state.lineage());
        root.put("serial", state.serial());
        root.put("nodes", state.nodes().stream().map(StateSnapshots::nodeTree).toList());
        root.put("tables", state.tables().stream().map(StateSnapshots::tableTree).toList());
        root.put("partitions", state.partitions().stream().map(partition -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", partition.name());
            map.put("table", partition.table());
            map.put("index", partition.index());
            map.put("node", partition.node());
            return map;
        }).toList());
        root.put("replicas", state.replicas().stream().map(replica -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("partition", replica.partition());
            map.put("node", replica.node());
            return map;
        }).toList());
        if (!state.settings().equals(ClusterSettings.DEFAULTS)) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("sync_replication", state.settings().syncReplication());
            settings.put("max_replication_lag_bytes", state.settings().maxReplicationLagBytes());
            if (!state.settings().failover().equals(FailoverSettings.DEFAULTS)) {
                Map<String, Object> failover = new LinkedHashMap<>();
                failover.put("automatic", state.settings().failover().automatic());
                failover.put("after_seconds", state.settings().failover().after().toSeconds());
                settings.put("failover", failover);
            }
            root.put("settings", settings);
        }
        if (state.partitionBytes().known()) {
            root.put("partition_bytes", new LinkedHashMap<>(state.partitionBytes().bytes()));
        }
        return root;
    }

    private static void refuseLiteralPasswords(ClusterState state) {
        for (NodeState node : state.nodes()) {
            if (Conninfos.containsLiteralPassword(node.superConninfo())
                    || node.conninfo().map(Conninfos::containsLiteralPassword).orElse(false)) {
                throw new ShardmanException(ErrorCode.INVALID_INPUT,
                        "node " + node.name() + ": a conninfo holds a literal password; it will not be written to a state file",
                        "write password=${env:NAME} in cluster.yaml, or use ~/.pgpass");
            }
        }
    }

    private static Map<String, Object> nodeTree(NodeState node) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", node.id());
        map.put("name", node.name());
        map.put("replication_group", node.replicationGroup());
        map.put("super_conninfo", node.superConninfo());
        node.conninfo().ifPresent(value -> map.put("conninfo", value));
        node.systemIdentifier().ifPresent(value -> map.put("system_identifier", value));
        map.put("lost", node.lost());
        return map;
    }

    private static Map<String, Object> tableTree(TableState table) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", table.name());
        map.put("schema", table.schema());
        map.put("type", table.type().keyword());
        map.put("columns", table.columns().stream().map(column -> {
            Map<String, Object> columnMap = new LinkedHashMap<>();
            columnMap.put("name", column.name());
            columnMap.put("type", column.type());
            columnMap.put("nullable", column.nullable());
            column.defaultExpression().ifPresent(value -> columnMap.put("default", value));
            return columnMap;
        }).toList());
        map.put("primary_key", table.primaryKey());
        map.put("indexes", table.indexes().stream().map(index -> {
            Map<String, Object> indexMap = new LinkedHashMap<>();
            indexMap.put("name", index.name());
            indexMap.put("columns", index.columns());
            indexMap.put("unique", index.unique());
            return indexMap;
        }).toList());
        table.shardingKey().ifPresent(value -> map.put("sharding_key", value));
        map.put("partitions", table.partitions());
        map.put("redundancy", table.redundancy());
        table.colocateWith().ifPresent(value -> map.put("colocate_with", value));
        table.master().ifPresent(value -> map.put("master", value));
        if (!table.grants().isEmpty()) {
            map.put("grants", new LinkedHashMap<>(table.grants()));
        }
        return map;
    }

    // ---- reading: composed YAML nodes → records, every problem with file:line:column ----

    private static final class Reader {
        private final String fileName;

        Reader(String fileName) {
            this.fileName = fileName;
        }

        ClusterState state(Node root) {
            Fields fields = fields(root, "the state", Set.of("format_version", "lineage", "serial", "nodes", "tables", "partitions", "replicas",
                    "settings", "partition_bytes"));
            fields.optional("format_version").ifPresent(node -> {
                if (integer(node) != FORMAT_VERSION) {
                    throw error(node, "unsupported format_version " + integer(node) + "; this shardman reads version " + FORMAT_VERSION);
                }
            });
            String lineage = fields.optional("lineage").map(this::string).orElse("");
            long serial = fields.optional("serial").map(this::integer).orElse(0L);
            if (serial < 0) {
                throw error(fields.required("serial"), "serial must not be negative");
            }
            List<NodeState> nodes = list(fields.optional("nodes"), this::node);
            List<TableState> tables = list(fields.optional("tables"), this::table);
            List<PartitionState> partitions = list(fields.optional("partitions"), this::partition);
            List<ReplicaState> replicas = list(fields.optional("replicas"), this::replica);
            ClusterSettings settings = fields.optional("settings").map(this::settings).orElse(ClusterSettings.DEFAULTS);
            ClusterState state = new ClusterState(lineage, serial, nodes, tables, partitions, replicas, settings);
            checkReferences(state, fields);
            return fields.optional("partition_bytes").map(node -> state.withPartitionBytes(partitionBytes(node, state))).orElse(state);
        }

        /** {@code {partition: bytes}}: every key a partition of the state, every value a non-negative integer. */
        private PartitionBytes partitionBytes(Node node, ClusterState state) {
            if (!(node instanceof MappingNode mapping)) {
                throw error(node, "partition_bytes must be a mapping of partition name to bytes");
            }
            Set<String> names = new HashSet<>();
            state.partitions().forEach(partition -> names.add(partition.name()));
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (NodeTuple entry : mapping.getValue()) {
                String partition = string(entry.getKeyNode());
                if (!names.contains(partition)) {
                    throw error(entry.getKeyNode(), "partition_bytes names " + partition + ", which is not a partition of this state");
                }
                long size = integer(entry.getValueNode());
                if (size < 0) {
                    throw error(entry.getValueNode(), "the size of " + partition + " must not be negative");
                }
                if (bytes.put(partition, size) != null) {
                    throw error(entry.getKeyNode(), "duplicate key '" + partition + "'");
                }
            }
            return PartitionBytes.of(bytes);
        }

        private void checkReferences(ClusterState state, Fields fields) {
            Set<String> nodeNames = new HashSet<>();
            Set<Long> nodeIds = new HashSet<>();
            List<Node> nodeNodes = items(fields.optional("nodes"));
            for (int i = 0; i < state.nodes().size(); i++) {
                NodeState node = state.nodes().get(i);
                if (!nodeNames.add(node.name()) || !nodeIds.add(node.id())) {
                    throw error(nodeNodes.get(i), "duplicate node name or id: " + node.name() + " (" + node.id() + ")");
                }
            }
            Map<String, TableState> tables = new LinkedHashMap<>();
            List<Node> tableNodes = items(fields.optional("tables"));
            for (int i = 0; i < state.tables().size(); i++) {
                if (tables.put(state.tables().get(i).name(), state.tables().get(i)) != null) {
                    throw error(tableNodes.get(i), "duplicate table " + state.tables().get(i).name());
                }
            }
            Map<String, PartitionState> partitions = new LinkedHashMap<>();
            List<Node> partitionNodes = items(fields.optional("partitions"));
            for (int i = 0; i < state.partitions().size(); i++) {
                PartitionState partition = state.partitions().get(i);
                TableState table = tables.get(partition.table());
                if (table == null || !table.isSharded() || partition.index() >= table.partitions()) {
                    throw error(partitionNodes.get(i), "partition " + partition.name() + " does not belong to a sharded table of this state");
                }
                if (!nodeNames.contains(partition.node())) {
                    throw error(partitionNodes.get(i), "partition " + partition.name() + " is on unknown node " + partition.node());
                }
                if (partitions.put(partition.name(), partition) != null) {
                    throw error(partitionNodes.get(i), "duplicate partition " + partition.name());
                }
            }
            Set<String> copies = new HashSet<>();
            List<Node> replicaNodes = items(fields.optional("replicas"));
            for (int i = 0; i < state.replicas().size(); i++) {
                ReplicaState replica = state.replicas().get(i);
                PartitionState partition = partitions.get(replica.partition());
                if (partition == null) {
                    throw error(replicaNodes.get(i), "replica of unknown partition " + replica.partition());
                }
                if (!nodeNames.contains(replica.node())) {
                    throw error(replicaNodes.get(i), "replica of " + replica.partition() + " is on unknown node " + replica.node());
                }
                if (partition.node().equals(replica.node()) || !copies.add(replica.partition() + "\u0000" + replica.node())) {
                    throw error(replicaNodes.get(i), "two copies of " + replica.partition() + " on node " + replica.node());
                }
            }
        }

        private ClusterSettings settings(Node node) {
            Fields fields = fields(node, "the settings", Set.of("sync_replication", "max_replication_lag_bytes", "failover"));
            long maxLag = fields.optional("max_replication_lag_bytes").map(this::integer).orElse(ClusterSettings.DEFAULTS.maxReplicationLagBytes());
            if (maxLag < 0) {
                throw error(fields.required("max_replication_lag_bytes"), "max_replication_lag_bytes must not be negative");
            }
            return new ClusterSettings(fields.optional("sync_replication").map(this::bool).orElse(false), maxLag,
                    fields.optional("failover").map(this::failover).orElse(FailoverSettings.DEFAULTS));
        }

        private FailoverSettings failover(Node node) {
            Fields fields = fields(node, "the failover settings", Set.of("automatic", "after_seconds"));
            long after = fields.optional("after_seconds").map(this::integer).orElse(FailoverSettings.DEFAULT_AFTER.toSeconds());
            if (after < FailoverSettings.MINIMUM_AFTER.toSeconds() || after > FailoverSettings.MAXIMUM_AFTER.toSeconds()) {
                throw error(fields.required("after_seconds"), "after_seconds must be between " + FailoverSettings.MINIMUM_AFTER.toSeconds()
                        + " and " + FailoverSettings.MAXIMUM_AFTER.toSeconds());
            }
            return new FailoverSettings(fields.optional("automatic").map(this::bool).orElse(false), Duration.ofSeconds(after));
        }

        private NodeState node(Node node) {
            Fields fields = fields(node, "a node", Set.of("id", "name", "replication_group", "super_conninfo", "conninfo", "system_identifier", "lost"));
            long id = integer(fields.required("id"));
            if (id <= 0) {
                throw error(fields.required("id"), "node id must be positive");
            }
            return new NodeState(
                    id,
                    string(fields.required("name")),
                    fields.optional("system_identifier").map(this::string),
                    string(fields.required("super_conninfo")),
                    fields.optional("conninfo").map(this::string),
                    string(fields.required("replication_group")),
                    fields.optional("lost").map(this::bool).orElse(false));
        }

        private TableState table(Node node) {
            Fields fields = fields(node, "a table", Set.of("name", "schema", "type", "columns", "primary_key", "indexes", "sharding_key",
                    "partitions", "redundancy", "colocate_with", "master", "grants"));
            Node typeNode = fields.required("type");
            String typeWord = string(typeNode);
            TableType type = java.util.Arrays.stream(TableType.values()).filter(value -> value.keyword().equals(typeWord)).findFirst()
                    .orElseThrow(() -> error(typeNode, "table type must be sharded or shared, not " + typeWord));
            long partitions = fields.optional("partitions").map(this::integer).orElse(0L);
            long redundancy = fields.optional("redundancy").map(this::integer).orElse(0L);
            if (partitions < 0 || partitions > Integer.MAX_VALUE || redundancy < 0 || redundancy > Integer.MAX_VALUE) {
                throw error(node, "partitions and redundancy must be non-negative integers");
            }
            return new TableState(
                    string(fields.required("name")),
                    fields.optional("schema").map(this::string).orElse("public"),
                    type,
                    list(fields.optional("columns"), this::column),
                    list(fields.optional("primary_key"), this::string),
                    list(fields.optional("indexes"), this::index),
                    fields.optional("sharding_key").map(this::string),
                    (int) partitions,
                    (int) redundancy,
                    fields.optional("colocate_with").map(this::string),
                    fields.optional("master").map(this::string),
                    fields.optional("grants").map(this::grants).orElse(Map.of()));
        }

        /** {@code {role: [PRIVILEGE, ...]}}. */
        private Map<String, List<String>> grants(Node node) {
            if (!(node instanceof MappingNode mapping)) {
                throw error(node, "grants must be a mapping of role to privileges");
            }
            Map<String, List<String>> grants = new LinkedHashMap<>();
            for (NodeTuple entry : mapping.getValue()) {
                grants.put(string(entry.getKeyNode()), list(Optional.of(entry.getValueNode()), this::string));
            }
            return grants;
        }

        private ColumnState column(Node node) {
            Fields fields = fields(node, "a column", Set.of("name", "type", "nullable", "default"));
            return new ColumnState(string(fields.required("name")), string(fields.required("type")),
                    fields.optional("nullable").map(this::bool).orElse(true), fields.optional("default").map(this::string));
        }

        private IndexState index(Node node) {
            Fields fields = fields(node, "an index", Set.of("name", "columns", "unique"));
            return new IndexState(string(fields.required("name")), list(Optional.of(fields.required("columns")), this::string),
                    fields.optional("unique").map(this::bool).orElse(false));
        }

        private PartitionState partition(Node node) {
            Fields fields = fields(node, "a partition", Set.of("name", "table", "index", "node"));
            String table = string(fields.required("table"));
            Node nameNode = fields.required("name");
            String name = string(nameNode);
            long index;
            if (fields.optional("index").isPresent()) {
                index = integer(fields.required("index"));
            } else {
                String prefix = table + "_";
                if (!name.startsWith(prefix) || !name.substring(prefix.length()).matches("[0-9]{1,9}")) {
                    throw error(nameNode, "partition name must be <table>_<index>, not " + name);
                }
                index = Long.parseLong(name.substring(prefix.length()));
            }
            if (index < 0 || index > Integer.MAX_VALUE || !name.equals(PartitionState.name(table, (int) index))) {
                throw error(nameNode, "partition name " + name + " does not match table " + table + " and index " + index);
            }
            return new PartitionState(table, (int) index, string(fields.required("node")));
        }

        private ReplicaState replica(Node node) {
            Fields fields = fields(node, "a replica", Set.of("partition", "node"));
            return new ReplicaState(string(fields.required("partition")), string(fields.required("node")));
        }

        private <T> List<T> list(Optional<Node> node, Function<Node, T> element) {
            List<T> result = new ArrayList<>();
            for (Node item : items(node)) {
                result.add(element.apply(item));
            }
            return result;
        }

        private List<Node> items(Optional<Node> node) {
            if (node.isEmpty() || isNull(node.get())) {
                return List.of();
            }
            if (!(node.get() instanceof SequenceNode sequence)) {
                throw error(node.get(), "expected a list");
            }
            return sequence.getValue();
        }

        private Fields fields(Node node, String what, Set<String> allowed) {
            if (!(node instanceof MappingNode mapping)) {
                throw error(node, "expected a mapping for " + what);
            }
            Map<String, Node> values = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = string(tuple.getKeyNode());
                if (!allowed.contains(key)) {
                    throw error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what + "; expected one of " + new java.util.TreeSet<>(allowed));
                }
                if (values.put(key, tuple.getValueNode()) != null) {
                    throw error(tuple.getKeyNode(), "duplicate key '" + key + "'");
                }
            }
            return new Fields(node, what, values);
        }

        private boolean isNull(Node node) {
            return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
        }

        private String string(Node node) {
            if (!(node instanceof ScalarNode scalar) || isNull(node)) {
                throw error(node, "expected a text value");
            }
            return scalar.getValue();
        }

        private long integer(Node node) {
            String text = string(node);
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException exception) {
                throw error(node, "expected an integer, not '" + text + "'");
            }
        }

        private boolean bool(Node node) {
            String text = string(node);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            throw error(node, "expected true or false, not '" + text + "'");
        }

        private ShardmanException error(Node node, String message) {
            String where = node.getStartMark().map(mark -> fileName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1)).orElse(fileName);
            return new ShardmanException(ErrorCode.INVALID_INPUT, where + ": " + message,
                    "fix the state file, or pull a fresh one with `shardman state pull`");
        }

        private final class Fields {
            private final Node node;
            private final String what;
            private final Map<String, Node> values;

            Fields(Node node, String what, Map<String, Node> values) {
                this.node = node;
                this.what = what;
                this.values = values;
            }

            Node required(String key) {
                Node value = values.get(key);
                if (value == null || isNull(value)) {
                    throw error(value == null ? node : value, what + " needs '" + key + "'");
                }
                return value;
            }

            Optional<Node> optional(String key) {
                return Optional.ofNullable(values.get(key)).filter(value -> !isNull(value));
            }
        }
    }
}
