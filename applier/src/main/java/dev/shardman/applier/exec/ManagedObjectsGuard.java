package dev.shardman.applier.exec;

import dev.shardman.applier.objects.SqlNames;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Tells whether the statement exec runs touches shardman's own objects: before it runs, a write to a managed table
 * ({@link #managedWriteTargets}); after it ran, in its still open REPEATABLE READ transaction, changed catalog rows of
 * shardman's objects (by {@code xmin}), a lock stronger than ACCESS SHARE on them, or a postgres_fdw connection. What
 * is read, and the limits (indirect effects are not seen): docs/internals/exec-and-verify.md, "Managed objects guard".
 */
final class ManagedObjectsGuard {
    private static final String MANAGED_RELATIONS = """
            WITH managed_namespaces AS (
                SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'shardman' OR starts_with(nspname, 'shardman_')
            ), managed_tables AS (
                SELECT schema_name, table_name FROM unnest(?::text[], ?::text[]) AS managed (schema_name, table_name)
            ), named_relations AS (
                SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.oid IN (SELECT oid FROM managed_namespaces)
                   OR EXISTS (SELECT 1 FROM managed_tables t WHERE t.schema_name = n.nspname AND (c.relname = t.table_name
                          OR (starts_with(c.relname, t.table_name || '_')
                              AND substr(c.relname, length(t.table_name) + 2) ~ '^([0-9]+(_.*)?|fdw|stale|pkey)$')))
            ), managed_relations AS (
                SELECT oid FROM named_relations
                UNION SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid IN (SELECT oid FROM named_relations)
            )
            """;
    private static final String CATALOG_ROWS = MANAGED_RELATIONS + """
            SELECT 'schema ' || nspname, xmin::text FROM pg_catalog.pg_namespace WHERE oid IN (SELECT oid FROM managed_namespaces)
            UNION ALL SELECT 'relation ' || oid::regclass, xmin::text FROM pg_catalog.pg_class WHERE oid IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'column ' || attrelid::regclass || '.' || quote_ident(attname), xmin::text FROM pg_catalog.pg_attribute
                WHERE attrelid IN (SELECT oid FROM pg_catalog.pg_class WHERE relkind NOT IN ('i', 'I') AND oid IN (SELECT oid FROM managed_relations))
                  AND attnum > 0
            UNION ALL SELECT 'index ' || indexrelid::regclass, xmin::text FROM pg_catalog.pg_index
                WHERE indrelid IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'default of ' || adrelid::regclass || ' column ' || adnum, xmin::text FROM pg_catalog.pg_attrdef
                WHERE adrelid IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'constraint ' || quote_ident(conname) || ' on ' || conrelid::regclass, xmin::text FROM pg_catalog.pg_constraint
                WHERE conrelid IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'trigger ' || quote_ident(tgname) || ' on ' || tgrelid::regclass, xmin::text FROM pg_catalog.pg_trigger
                WHERE tgrelid IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'rule ' || quote_ident(rulename) || ' on ' || ev_class::regclass, xmin::text FROM pg_catalog.pg_rewrite
                WHERE ev_class IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'policy ' || quote_ident(polname) || ' on ' || polrelid::regclass, xmin::text FROM pg_catalog.pg_policy
                WHERE polrelid IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'partition link ' || inhrelid::regclass || ' of ' || inhparent::regclass, xmin::text FROM pg_catalog.pg_inherits
                WHERE inhrelid IN (SELECT oid FROM managed_relations) OR inhparent IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'function ' || p.oid::regprocedure, p.xmin::text FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                WHERE n.oid IN (SELECT oid FROM managed_namespaces)
                   OR EXISTS (SELECT 1 FROM managed_tables t WHERE t.schema_name = n.nspname AND p.proname = t.table_name || '_shardman_write')
            UNION ALL SELECT 'foreign server ' || quote_ident(srvname), xmin::text FROM pg_catalog.pg_foreign_server
                WHERE starts_with(srvname, 'shardman_')
            UNION ALL SELECT 'user mapping for ' || coalesce(quote_ident(r.rolname), 'PUBLIC') || ' on ' || quote_ident(s.srvname), m.xmin::text
                FROM pg_catalog.pg_user_mapping m JOIN pg_catalog.pg_foreign_server s ON s.oid = m.umserver
                LEFT JOIN pg_catalog.pg_roles r ON r.oid = m.umuser WHERE starts_with(s.srvname, 'shardman_')
            UNION ALL SELECT 'extension ' || extname, xmin::text FROM pg_catalog.pg_extension WHERE extname = 'postgres_fdw'
            UNION ALL SELECT 'publication ' || quote_ident(pubname), xmin::text FROM pg_catalog.pg_publication WHERE starts_with(pubname, 'shardman_')
            UNION ALL SELECT 'publication table ' || pr.prrelid::regclass || ' in ' || quote_ident(p.pubname), pr.xmin::text
                FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                WHERE starts_with(p.pubname, 'shardman_') OR pr.prrelid IN (SELECT oid FROM managed_relations)
            UNION ALL SELECT 'subscription ' || quote_ident(subname), xmin::text FROM pg_catalog.pg_subscription
                WHERE starts_with(subname, 'shardman_') AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
            """;
    private static final String STRONG_LOCKS = MANAGED_RELATIONS + """
            SELECT DISTINCT 'relation ' || relation::regclass || ' (' || mode || ')' FROM pg_catalog.pg_locks
            WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND granted AND mode <> 'AccessShareLock'
              AND relation IN (SELECT oid FROM managed_relations)""";
    private static final String MANAGED_TARGETS = MANAGED_RELATIONS + """
            SELECT target FROM unnest(?::text[]) AS written (target)
            WHERE pg_catalog.to_regclass(target) IN (SELECT oid FROM managed_relations) ORDER BY 1""";
    /* A write's target in EXPLAIN VERBOSE text: "Insert on public.items", "Update on public.items_2 items_1", ... */
    private static final Pattern WRITE_TARGET = Pattern.compile("(?m)^\\s*(?:->\\s*)?(?:Insert|Update|Delete|Merge) on (\\S+)");
    private static final String FDW_SCHEMA = """
            SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'postgres_fdw'
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid AND p.proname = 'postgres_fdw_get_connections')""";

    private final List<String> schemas;
    private final List<String> tables;

    ManagedObjectsGuard(Collection<TableState> managedTables) {
        requireNonNull(managedTables, "managedTables is null");
        this.schemas = managedTables.stream().map(TableState::schema).toList();
        this.tables = managedTables.stream().map(TableState::name).toList();
    }

    /** The catalog rows of shardman's objects, {@code "<object> <xmin>"} each; read before the statement. */
    Set<String> catalogRows(Connection connection) throws SQLException {
        Set<String> rows = new TreeSet<>();
        try (PreparedStatement select = managed(connection, CATALOG_ROWS); ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2));
            }
        }
        return rows;
    }

    /**
     * The managed tables {@code sql} would write, read from its plan ({@code EXPLAIN}, nothing executed) in a savepoint
     * before it runs; empty for a statement that has no plan (DDL). A write must be refused before it runs: run on every
     * node at once, writes through the foreign partitions wait on each other's rows across nodes until the timeout.
     */
    List<String> managedWriteTargets(Connection connection, String sql) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        List<String> targets = new ArrayList<>();
        try (Statement explain = connection.createStatement()) {
            explain.setEscapeProcessing(false);
            try (ResultSet plan = explain.executeQuery("EXPLAIN (VERBOSE, COSTS OFF) " + sql)) {
                while (plan.next()) {
                    Matcher target = WRITE_TARGET.matcher(plan.getString(1));
                    while (target.find()) {
                        targets.add(target.group(1));
                    }
                }
            }
        } catch (SQLException notExplainable) {
            connection.rollback(savepoint);
            return List.of();
        }
        connection.releaseSavepoint(savepoint);
        if (targets.isEmpty()) {
            return List.of();
        }
        List<String> managed = new ArrayList<>();
        try (PreparedStatement select = managed(connection, MANAGED_TARGETS)) {
            select.setArray(3, connection.createArrayOf("text", targets.toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    managed.add("writes " + result.getString(1));
                }
            }
        }
        return List.copyOf(managed);
    }

    /** What the statement did to shardman's objects since {@code before} was read, one phrase each; empty = nothing. */
    List<String> touched(Connection connection, Set<String> before) throws SQLException {
        List<String> touched = new ArrayList<>(changedObjects(before, catalogRows(connection)));
        try (PreparedStatement select = managed(connection, STRONG_LOCKS); ResultSet result = select.executeQuery()) {
            while (result.next()) {
                touched.add("locked " + result.getString(1));
            }
        }
        touched.addAll(foreignConnections(connection));
        return List.copyOf(touched);
    }

    /**
     * The objects whose catalog rows changed (altered), disappeared (dropped) or appeared (created), in that order, and
     * within each by name, columns last: an ALTER TABLE names its table before the columns it adds to every partition.
     */
    static List<String> changedObjects(Set<String> before, Set<String> after) {
        Set<String> objectsBefore = objects(before);
        Set<String> objectsAfter = objects(after);
        Set<String> changed = new TreeSet<>(objects(difference(before, after)));
        changed.addAll(objects(difference(after, before)));
        List<String> altered = changed.stream().filter(object -> objectsBefore.contains(object) && objectsAfter.contains(object)).toList();
        List<String> dropped = changed.stream().filter(object -> !objectsAfter.contains(object)).toList();
        List<String> created = changed.stream().filter(object -> !objectsBefore.contains(object)).toList();
        List<String> result = new ArrayList<>();
        columnsLast(altered).forEach(object -> result.add("altered " + object));
        columnsLast(dropped).forEach(object -> result.add("dropped " + object));
        columnsLast(created).forEach(object -> result.add("created " + object));
        return List.copyOf(result);
    }

    /** Columns follow their relations, servers and the rest: a DROP SERVER names the server before its tables' columns. */
    private static List<String> columnsLast(List<String> objects) {
        return objects.stream().sorted(Comparator.comparing((String object) -> object.startsWith("column ")).thenComparing(object -> object)).toList();
    }

    private static Set<String> difference(Set<String> rows, Set<String> others) {
        Set<String> result = new TreeSet<>(rows);
        result.removeAll(others);
        return result;
    }

    /** The rows without their xmin: the objects they describe. */
    private static Set<String> objects(Set<String> rows) {
        Set<String> objects = new TreeSet<>();
        rows.forEach(row -> objects.add(row.substring(0, row.lastIndexOf(' '))));
        return objects;
    }

    private PreparedStatement managed(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
        statement.setArray(2, connection.createArrayOf("text", tables.toArray()));
        return statement;
    }

    private static List<String> foreignConnections(Connection connection) throws SQLException {
        String schema;
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(FDW_SCHEMA)) {
            if (!result.next()) {
                return List.of();
            }
            schema = result.getString(1);
        }
        List<String> servers = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(
                "SELECT server_name FROM " + SqlNames.identifier(schema) + ".postgres_fdw_get_connections() ORDER BY 1")) {
            while (result.next()) {
                servers.add("reached foreign server " + result.getString(1) + " through postgres_fdw");
            }
        }
        return servers;
    }
}
