package dev.shardman.applier.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jsonb forms of a table's columns, indexes and grants:
 * {@code [{"name", "type", "nullable", "default"?}]}, {@code [{"name", "columns": [...], "unique"}]}
 * and {@code {"role": ["PRIVILEGE", ...]}}.
 * Array order is the record order; an absent default is an absent key.
 */
final class TableJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TableJson() {
    }

    static String columns(List<ColumnState> columns) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ColumnState column : columns) {
            ObjectNode object = array.addObject().put("name", column.name()).put("type", column.type()).put("nullable", column.nullable());
            column.defaultExpression().ifPresent(expression -> object.put("default", expression));
        }
        return array.toString();
    }

    static String indexes(List<IndexState> indexes) {
        ArrayNode array = MAPPER.createArrayNode();
        for (IndexState index : indexes) {
            ObjectNode object = array.addObject().put("name", index.name());
            index.columns().forEach(object.putArray("columns")::add);
            object.put("unique", index.unique());
        }
        return array.toString();
    }

    static String grants(Map<String, List<String>> grants) {
        ObjectNode object = MAPPER.createObjectNode();
        grants.forEach((role, privileges) -> privileges.forEach(object.putArray(role)::add));
        return object.toString();
    }

    static Map<String, List<String>> readGrants(String json) {
        Map<String, List<String>> grants = new LinkedHashMap<>();
        parse(json).fields().forEachRemaining(entry -> {
            List<String> privileges = new ArrayList<>();
            entry.getValue().forEach(privilege -> privileges.add(privilege.asText()));
            grants.put(entry.getKey(), privileges);
        });
        return grants;
    }

    static List<ColumnState> readColumns(String json) {
        List<ColumnState> columns = new ArrayList<>();
        for (JsonNode column : parse(json)) {
            columns.add(new ColumnState(column.get("name").asText(), column.get("type").asText(), column.get("nullable").asBoolean(),
                    Optional.ofNullable(column.get("default")).map(JsonNode::asText)));
        }
        return columns;
    }

    static List<IndexState> readIndexes(String json) {
        List<IndexState> indexes = new ArrayList<>();
        for (JsonNode index : parse(json)) {
            List<String> columns = new ArrayList<>();
            index.get("columns").forEach(column -> columns.add(column.asText()));
            indexes.add(new IndexState(index.get("name").asText(), columns, index.get("unique").asBoolean()));
        }
        return indexes;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException malformed) {
            throw new IllegalStateException("malformed json in the shardlord metadata: " + malformed.getOriginalMessage(), malformed);
        }
    }
}
