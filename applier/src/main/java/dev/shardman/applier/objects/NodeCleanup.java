package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;
import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.templates.Templates;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What a node that leaves the cluster for good keeps: its tables with data, and nothing else of shardman's
 * (pg_shardman's rm_node "does not delete tables with data"), in one transaction. {@link DataTables#FENCE} renames the
 * kept tables {@code <name>_stale} so no client reaches stale rows by the old name; {@link DataTables#KEEP_NAMES}
 * restores a move's retired copies ({@link RetiredCopies}). Level-based: running it again finds nothing to drop
 * ({@link #plan}). Order and scope: docs/internals/objects-and-reconcile.md, "Node cleanup".
 */
public final class NodeCleanup {
    public static final String STALE_SUFFIX = DerivedNames.STALE_SUFFIX;
    /** The tables whose triggers call the replica write refusal (schema, name). */
    private static final String REPLICA_WRITE_FUNCTION_USERS = """
            SELECT n.nspname, c.relname FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
            JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE p.proname = 'shardman_refuse_replica_write'""";

    private static final String TAKEN = "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ANY (?::text[]) AND c.relname = ?";
    private static final String PLAIN_TABLE = "SELECT 1 FROM pg_catalog.pg_class WHERE oid = pg_catalog.to_regclass(?) AND relkind = 'r'";

    /** What becomes of the tables with data. */
    public enum DataTables {
        /** Plain tables under their own names (a drained live node that leaves: its data is still on it). */
        KEEP_NAMES,
        /** Renamed {@code <name>_stale}: the node's data is not the cluster's any more (wipe-state). */
        FENCE
    }

    /** One thing the cleanup does, in words, and its statements. */
    public record Action(String description, List<SqlStatement> statements) {
        public Action {
            requireNonNull(description, "description is null");
            statements = List.copyOf(statements);
        }
    }

    private final NodeInspector inspector = new NodeInspector();
    private final ChangeSql changeSql = new ChangeSql(Templates.shared(), PasswordSource.none());
    private final Templates templates = Templates.shared();

    /** Read-only: what {@link #run} would do on the node now, in order. */
    public List<Action> plan(Connection connection, String node, Collection<ClusterState> scope, DataTables fate) throws SQLException {
        NodeObjects observed = inspector.inspect(connection, node, scope).observed();
        List<Action> keep = new ArrayList<>();
        List<Action> moves = new ArrayList<>();
        List<NodeObject> routes = new ArrayList<>();
        java.util.Set<TableName> kept = new java.util.HashSet<>();
        for (NodeObject object : observed.objects().values()) {
            if (object instanceof LocalPartition partition) {
                partition.slot().ifPresent(slot -> keep.add(new Action("detached " + partition.table() + " from " + slot.parent() + " (kept with its rows)",
                        List.of(render("detach_local_partition", Map.of("parent", SqlNames.qualified(slot.parent()), "table",
                                SqlNames.qualified(partition.table())))))));
                if (partition.slot().isEmpty()) {
                    // a detached t_n may be a replica table the state does not explain any more (a lost node's): its trigger goes too
                    keep.add(new Action("kept table " + partition.table() + " (detached; a read-only trigger, if any, dropped)",
                            List.of(render("drop_replica_trigger", Map.of("table", SqlNames.qualified(partition.table()),
                                    "trigger", SqlNames.identifier(ReplicaTable.READ_ONLY_TRIGGER))))));
                }
                kept.add(partition.table());
                fenced(connection, partition.table(), fate, partition.table().schema()).map(Fence::action).ifPresent(keep::add);
            } else if (object instanceof ReplicaTable replica) {
                keep.add(new Action("kept replica table " + replica.table() + " as a plain table (read-only trigger dropped)",
                        List.of(render("drop_replica_trigger", Map.of("table", SqlNames.qualified(replica.table()),
                                "trigger", SqlNames.identifier(ReplicaTable.READ_ONLY_TRIGGER))))));
                kept.add(replica.table());
                fenced(connection, replica.table(), fate, replica.table().schema()).map(Fence::action).ifPresent(keep::add);
            } else if (object instanceof SharedData data) {
                moves.addAll(sharedCopy(connection, data, observed, fate));
            } else if (object instanceof ParentTable || object instanceof ForeignPartition || object instanceof SharedView
                    || object instanceof UserMapping || object instanceof ForeignServer) {
                routes.add(object);
            }
        }
        if (fate == DataTables.FENCE) {
            for (TableName copy : sharedCopiesKeptByADrain(connection, scope)) {
                fenced(connection, copy, fate, copy.schema()).map(Fence::action).ifPresent(keep::add);
            }
        }
        List<Action> result = new ArrayList<>(keep);
        routes.stream().sorted(Comparator.comparing(NodeObject::key).reversed()).forEach(route -> result.add(new Action("dropped " + route.describe(),
                changeSql.statements(new ObjectChange(ChangeAction.DROP, route.key(), Optional.empty(), Optional.of(route), "leaving", false)))));
        result.addAll(moves);
        if (fate == DataTables.KEEP_NAMES) {
            result.addAll(RetiredCopies.restore(connection, scope, this::render));
        }
        for (String schema : List.of(SharedData.SCHEMA, RetiredCopies.SCHEMA)) {
            if (schemaExists(connection, schema)) {
                result.add(new Action("dropped schema " + schema + " if nothing is left in it",
                        List.of(render("drop_schema_if_empty", Map.of("schema", SqlNames.literal(schema))))));
            }
        }
        if (replicaWriteFunctionExists(connection) && kept.containsAll(replicaWriteFunctionUsers(connection))) {
            result.add(new Action("dropped function public.shardman_refuse_replica_write()", List.of(render("drop_replica_write_function", Map.of()))));
        }
        return List.copyOf(result);
    }

    /**
     * Cleans the node in one transaction under {@code lockTimeout}, then PREPAREs it as {@code gid} (two-phase commit
     * with the metadata: RemoveNode) or, with no gid, commits it (wipe-state).
     */
    public List<Action> clean(Connection connection, String node, Collection<ClusterState> scope, DataTables fate, java.time.Duration lockTimeout,
                              Optional<String> gid) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean finished = false;
        try {
            try (java.sql.PreparedStatement timeout = connection.prepareStatement("SELECT pg_catalog.set_config('lock_timeout', ?, true)")) {
                timeout.setString(1, lockTimeout.toMillis() + "ms");
                timeout.execute();
            }
            List<Action> actions = run(connection, node, scope, fate);
            if (gid.isPresent()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(changeSql.transactionControl("prepare_transaction", gid.get()).text());
                }
            } else {
                connection.commit();
            }
            finished = true;
            return actions;
        } finally {
            // a session the driver aborted (socket timeout on a hung node) must not hide the failure that ended it
            if (!connection.isClosed()) {
                if (!finished) {
                    connection.rollback();
                }
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** Does {@link #plan} and runs it in the connection's current transaction (the caller commits or prepares). */
    public List<Action> run(Connection connection, String node, Collection<ClusterState> scope, DataTables fate) throws SQLException {
        List<Action> actions = plan(connection, node, scope, fate);
        try (Statement statement = connection.createStatement()) {
            for (Action action : actions) {
                for (SqlStatement sql : action.statements()) {
                    try {
                        statement.execute(sql.text());
                    } catch (SQLException failure) {
                        throw new SQLException("on " + node + ": " + sql.summary() + ": " + failure.getMessage(), failure.getSQLState(), failure);
                    }
                }
            }
        }
        return actions;
    }

    /** The copy of a shared table leaves {@code shardman_shared} for its view's schema and name once the view is dropped. */
    private List<Action> sharedCopy(Connection connection, SharedData data, NodeObjects observed, DataTables fate) throws SQLException {
        Optional<TableName> view = observed.objects().values().stream().filter(SharedView.class::isInstance).map(SharedView.class::cast)
                .filter(candidate -> candidate.data().equals(data.table())).map(SharedView::view).findFirst();
        if (view.isEmpty()) {
            return List.of();
        }
        List<Action> result = new ArrayList<>();
        TableName table = data.table();
        Optional<Fence> renamed = fenced(connection, table, fate, view.get().schema());
        if (renamed.isPresent()) {
            result.add(renamed.get().action());
            table = table.sibling(renamed.get().newName());
        }
        result.add(new Action("moved shared table copy " + table + " to schema " + view.get().schema() + " (kept with its rows)",
                List.of(render("move_kept_table", Map.of("table", SqlNames.qualified(table), "schema", SqlNames.identifier(view.get().schema()))))));
        return result;
    }

    /**
     * Shared tables' copies that a drain left as plain tables under the tables' own names (KEEP_NAMES moves them out of
     * {@code shardman_shared}, their views gone): on a node wiped later they are stale like its partitions.
     */
    private static List<TableName> sharedCopiesKeptByADrain(Connection connection, Collection<ClusterState> scope) throws SQLException {
        Set<TableName> shared = new TreeSet<>(Comparator.comparing(TableName::toString));
        scope.forEach(state -> state.tables().stream().filter(table -> table.type() == TableType.SHARED)
                .forEach(table -> shared.add(new TableName(table.schema(), table.name()))));
        List<TableName> kept = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(PLAIN_TABLE)) {
            for (TableName table : shared) {
                statement.setString(1, SqlNames.qualified(table));
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next()) {
                        kept.add(table);
                    }
                }
            }
        }
        return kept;
    }

    /** A kept table's renaming, and the name it gets. */
    private record Fence(Action action, String newName) {
    }

    /**
     * The table renamed {@code <name>_stale}, and its indexes {@code <index>_stale}: a partition's key and indexes keep
     * names of the cluster's (t_n_pkey, index_n), which the node's next partition of that name would need. A server
     * wiped before already holds such names: then {@code _stale2}, {@code _stale3}, ... free in the table's schema and in
     * {@code destination}, where it goes next (a shared copy leaves {@code shardman_shared}).
     */
    private Optional<Fence> fenced(Connection connection, TableName table, DataTables fate, String destination) throws SQLException {
        if (fate != DataTables.FENCE) {
            return Optional.empty();
        }
        List<String> schemas = List.of(table.schema(), destination);
        String newName = freeName(connection, schemas, DerivedNames.stale(table.name()));
        List<SqlStatement> statements = new ArrayList<>();
        for (String index : RetiredCopies.indexesOf(connection, table)) {
            statements.add(render("rename_kept_index", Map.of("index", SqlNames.qualified(table.sibling(index)),
                    "newName", SqlNames.identifier(freeName(connection, schemas, DerivedNames.stale(index))))));
        }
        statements.add(render("rename_kept_table", Map.of("table", SqlNames.qualified(table), "newName", SqlNames.identifier(newName))));
        return Optional.of(new Fence(new Action("renamed " + table + " to " + newName + " and its indexes <index>_stale (fenced: no client"
                + " reaches it by its old name)", statements), newName));
    }

    /** {@code base}, or {@code base2}, {@code base3}, ...: the first name no relation has in any of {@code schemas}. */
    private static String freeName(Connection connection, List<String> schemas, String base) throws SQLException {
        try (PreparedStatement taken = connection.prepareStatement(TAKEN)) {
            taken.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            for (int suffix = 1; ; suffix++) {
                String candidate = suffix == 1 ? base : base + suffix;
                taken.setString(2, candidate);
                try (ResultSet row = taken.executeQuery()) {
                    if (!row.next()) {
                        return candidate;
                    }
                }
            }
        }
    }

    /** The function goes only when every table whose trigger calls it loses that trigger here. */
    private static List<TableName> replicaWriteFunctionUsers(Connection connection) throws SQLException {
        List<TableName> result = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(REPLICA_WRITE_FUNCTION_USERS)) {
            while (rows.next()) {
                result.add(new TableName(rows.getString(1), rows.getString(2)));
            }
        }
        return result;
    }

    private static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (java.sql.PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    private static boolean replicaWriteFunctionExists(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT to_regprocedure('public.shardman_refuse_replica_write()') IS NOT NULL")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    SqlStatement render(String template, Map<String, Object> model) {
        return SqlStatement.plain(templates.render("sql/" + template + ".sql.ftl", model).strip());
    }
}
