package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The old copies that primary moves left on a leaving source ({@code shardman_retired.t_n_m<id>}, indexes renamed
 * {@code <index>_m<id>}; see {@code applier.move}), restored as plain tables under their own names in their table's
 * schema, so that the leaving node keeps its tables and data as pg_shardman's rm_node did. When one partition has
 * several (moved away more than once), the newest move's copy gets the name; one whose name is taken stays retired.
 */
final class RetiredCopies {
    static final String SCHEMA = "shardman_retired";
    private static final Pattern RETIRED_NAME = Pattern.compile("(.+)_m(\\d+)");
    private static final String RETIRED_TABLES = """
            SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relkind = 'r'""";
    private static final String INDEXES = """
            SELECT ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = pg_catalog.to_regclass(?) ORDER BY 1""";

    private RetiredCopies() {
    }

    private record Retired(String name, String partition, long moveId) {
    }

    static List<NodeCleanup.Action> restore(Connection connection, Collection<ClusterState> scope,
                                            BiFunction<String, Map<String, Object>, SqlStatement> render) throws SQLException {
        List<Retired> retired = new ArrayList<>();
        for (String name : strings(connection, RETIRED_TABLES, SCHEMA)) {
            Matcher matcher = RETIRED_NAME.matcher(name);
            if (matcher.matches()) {
                retired.add(new Retired(name, matcher.group(1), Long.parseLong(matcher.group(2))));
            }
        }
        retired.sort(Comparator.comparingLong(Retired::moveId).reversed());
        Set<String> restored = new HashSet<>();
        List<NodeCleanup.Action> actions = new ArrayList<>();
        for (Retired copy : retired) {
            Optional<String> schema = schemaOf(copy.partition(), scope);
            if (schema.isEmpty() || !restored.add(schema.get() + "." + copy.partition())
                    || !strings(connection, "SELECT pg_catalog.to_regclass(?)::text", SqlNames.qualified(new TableName(schema.get(), copy.partition())))
                    .stream().allMatch(java.util.Objects::isNull)) {
                continue;
            }
            TableName from = new TableName(SCHEMA, copy.name());
            TableName moved = new TableName(schema.get(), copy.name());
            List<SqlStatement> statements = new ArrayList<>();
            statements.add(render.apply("move_kept_table", Map.of("table", SqlNames.qualified(from), "schema", SqlNames.identifier(schema.get()))));
            String suffix = DerivedNames.retired("", copy.moveId());
            for (String index : indexesOf(connection, from)) {
                if (index.endsWith(suffix)) {
                    statements.add(render.apply("rename_kept_index", Map.of("index", SqlNames.qualified(moved.sibling(index)),
                            "newName", SqlNames.identifier(index.substring(0, index.length() - suffix.length())))));
                }
            }
            statements.add(render.apply("rename_kept_table", Map.of("table", SqlNames.qualified(moved), "newName", SqlNames.identifier(copy.partition()))));
            actions.add(new NodeCleanup.Action("restored " + from + " (the copy a move retired here) as " + schema.get() + "." + copy.partition(),
                    statements));
        }
        return actions;
    }

    /** The schema of the table whose partition {@code partition} is, by the states' partitions. */
    private static Optional<String> schemaOf(String partition, Collection<ClusterState> scope) {
        for (ClusterState state : scope) {
            for (PartitionState candidate : state.partitions()) {
                if (candidate.name().equals(partition)) {
                    return state.tables().stream().filter(table -> table.name().equals(candidate.table())).map(TableState::schema).findFirst();
                }
            }
        }
        return Optional.empty();
    }

    /** The names of {@code table}'s indexes (they live in its schema). */
    static List<String> indexesOf(Connection connection, TableName table) throws SQLException {
        return strings(connection, INDEXES, SqlNames.qualified(table));
    }

    private static List<String> strings(Connection connection, String sql, String parameter) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
        }
        return result;
    }
}
