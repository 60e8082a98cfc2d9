package dev.shardman.applier.objects;

import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.model.state.ClusterState;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the objects shardman owns on one node from its catalogs in {@value #QUERIES_PER_NODE} queries whatever the
 * number of tables, filtered to the names of an {@link InspectionScope} and servers {@code shardman_node_%}, normalised
 * by {@code format_type} and {@code pg_get_expr}. User mapping passwords never leave the server: only whether one is
 * set and its salted digest ({@link SecretDigest}). The channels are read by
 * {@link dev.shardman.applier.replication.ReplicationInspector} (docs/internals/objects-and-reconcile.md, "Inspection").
 * The queries travel as one statement ({@link CatalogReads}): one round trip per inspection, twice per node in a step.
 */
public final class NodeInspector {
    public static final int QUERIES_PER_NODE = 7;
    /** The statements (round trips) that carry those queries: one ({@link CatalogReads}). */
    public static final int STATEMENTS_PER_NODE = 1;

    private static final String EXTENSION = "SELECT count(*) FROM pg_catalog.pg_extension WHERE extname = ?";
    private static final String SERVERS = """
            SELECT s.srvname, s.srvoptions
            FROM pg_catalog.pg_foreign_server s
            WHERE s.srvname LIKE 'shardman\\_node\\_%'
            ORDER BY s.srvname""";
    private static final String USER_MAPPINGS = """
            SELECT m.srvname,
                   CASE WHEN m.umuser = 0 THEN 'PUBLIC' WHEN m.usename = current_user THEN 'CURRENT_USER' ELSE m.usename END,
                   (SELECT substr(o, 6) FROM unnest(m.umoptions) AS o WHERE o LIKE 'user=%' LIMIT 1),
                   EXISTS (SELECT 1 FROM unnest(m.umoptions) AS o WHERE o LIKE 'password=%'),
                   (SELECT encode(pg_catalog.sha256(convert_to(? || substr(o, 10), 'UTF8')), 'hex')
                    FROM unnest(m.umoptions) AS o WHERE o LIKE 'password=%' LIMIT 1)
            FROM pg_catalog.pg_user_mappings m
            WHERE m.srvname LIKE 'shardman\\_node\\_%'
            ORDER BY 1, 2""";
    // pg_get_expr given a relation opens and locks it: one relcache build per partition (27 of 35 ms on a fresh session,
    // 640 partitions, PostgreSQL 17). A partition bound holds no column reference: it deparses the same without one (0).
    private static final String RELATIONS = """
            SELECT n.nspname, c.relname, c.relkind::text,
                   pn.nspname, p.relname, pg_catalog.pg_get_expr(c.relpartbound, 0),
                   pt.partstrat::text, pt.partnatts,
                   (SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = pt.partattrs[0]),
                   fs.srvname, ft.ftoptions,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'shardman_replica_read_only'),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_proc f
                           WHERE f.pronamespace = c.relnamespace AND f.proname = c.relname || '_shardman_write' AND f.prosecdef),
                   CASE WHEN c.relkind = 'f' THEN
                       ARRAY(SELECT quote_ident(a.attname) || ' (' || array_to_string(a.attfdwoptions, ', ') || ')'
                             FROM pg_catalog.pg_attribute a
                             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attfdwoptions IS NOT NULL
                             ORDER BY a.attnum) END
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(?::text[], ?::text[]) AS scope(schema_name, relation_name)
              ON scope.schema_name = n.nspname AND scope.relation_name = c.relname
            LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
            LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
            LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
            LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
            LEFT JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = c.oid
            LEFT JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver
            WHERE c.relkind IN ('r', 'p', 'f', 'v')""";
    private static final String PARENT_COLUMNS = """
            SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_catalog.pg_get_expr(d.adbin, d.adrelid)
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(?::text[], ?::text[]) AS scope(schema_name, relation_name)
              ON scope.schema_name = n.nspname AND scope.relation_name = c.relname
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v')
            ORDER BY n.nspname, c.relname, a.attnum""";
    private static final String PARTITION_INDEXES = """
            SELECT n.nspname, c.relname, ic.relname, x.indisprimary, x.indisunique,
                   ARRAY(SELECT a.attname::text
                         FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                         ORDER BY k.position)
            FROM pg_catalog.pg_index x
            JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
            JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(?::text[], ?::text[]) AS scope(schema_name, relation_name)
              ON scope.schema_name = n.nspname AND scope.relation_name = c.relname
            ORDER BY 1, 2, 3""";
    private static final String PARTITION_GRANTS = """
            SELECT n.nspname, c.relname, r.rolname, array_agg(DISTINCT a.privilege_type::text),
                   pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE')
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(?::text[], ?::text[]) AS scope(schema_name, relation_name)
              ON scope.schema_name = n.nspname AND scope.relation_name = c.relname
            CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS a
            JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
            WHERE r.rolname = ANY (?::text[]) AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')
            GROUP BY 1, 2, 3, 5
            ORDER BY 1, 2, 3""";
    private static final Pattern HASH_BOUND = Pattern.compile("FOR VALUES WITH \\(modulus (\\d+), remainder (\\d+)\\)");

    /** Observes {@code node} through {@code connection}: every object in the scope of any of {@code scope}; one round trip ({@link CatalogReads}). */
    public NodeInspection inspect(Connection connection, String node, Collection<ClusterState> scope) throws SQLException {
        InspectionScope names = InspectionScope.of(node, scope);
        List<NodeObject> objects = new ArrayList<>();
        Map<TableName, List<Column>> columns = new HashMap<>();
        List<NodeObject> relations = new ArrayList<>();
        CatalogReads reads = new CatalogReads(connection);
        if (names.includesNode()) {
            reads.add(EXTENSION, List.of(PostgresFdwExtension.NAME), rows -> {
                if (rows.next() && rows.getLong(1) > 0) {
                    objects.add(new PostgresFdwExtension());
                }
            });
        }
        reads.add(SERVERS, List.of(), rows -> objects.addAll(foreignServers(rows)));
        reads.add(USER_MAPPINGS, List.of(SecretDigest.salt()), rows -> objects.addAll(userMappings(rows)));
        List<TableName> withColumns = columnTables(names);
        if (!withColumns.isEmpty()) {
            reads.add(PARENT_COLUMNS, scope(reads, withColumns), rows -> columns.putAll(columns(rows)));
        }
        // indexes and grants are read for every relation in scope, then kept for the relations found (as one query each)
        List<TableName> inScope = relationNames(names);
        reads.add(RELATIONS, scope(reads, inScope), rows -> {
            relations.addAll(relations(rows, node, names, columns));
            objects.addAll(relations);
        });
        reads.add(PARTITION_INDEXES, scope(reads, inScope), rows -> objects.addAll(partitionIndexes(rows, names, relations)));
        List<Object> grantParameters = new ArrayList<>(scope(reads, inScope));
        grantParameters.add(reads.textArray(List.copyOf(names.observedRoles())));
        reads.add(PARTITION_GRANTS, grantParameters, rows -> objects.addAll(partitionGrants(rows, names, relations)));
        reads.run();
        return new NodeInspection(node, NodeObjects.of(node, objects, Map.of()), QUERIES_PER_NODE);
    }

    private static List<ForeignServer> foreignServers(ResultSet rows) throws SQLException {
        List<ForeignServer> servers = new ArrayList<>();
        while (rows.next()) {
            servers.add(new ForeignServer(rows.getString(1), options(rows.getArray(2))));
        }
        return servers;
    }

    private static List<UserMapping> userMappings(ResultSet rows) throws SQLException {
        List<UserMapping> mappings = new ArrayList<>();
        while (rows.next()) {
            mappings.add(new UserMapping(rows.getString(1), rows.getString(2), Optional.ofNullable(rows.getString(3)), rows.getBoolean(4),
                    Optional.ofNullable(rows.getString(5))));
        }
        return mappings;
    }

    /** Parents, replica tables, shared data tables and shared views: the relations whose columns are read, in one query. */
    private static List<TableName> columnTables(InspectionScope names) {
        List<TableName> tables = new ArrayList<>(names.parents());
        tables.addAll(names.replicaParents().keySet());
        tables.addAll(names.sharedData());
        names.sharedViews().keySet().forEach(view -> {
            tables.add(view);
            tables.add(sharedForeignTable(view));
        });
        return tables;
    }

    private static Map<TableName, List<Column>> columns(ResultSet rows) throws SQLException {
        Map<TableName, List<Column>> columns = new HashMap<>();
        while (rows.next()) {
            columns.computeIfAbsent(new TableName(rows.getString(1), rows.getString(2)), table -> new ArrayList<>())
                    .add(new Column(rows.getString(3), rows.getString(4), !rows.getBoolean(5), Optional.ofNullable(rows.getString(6))));
        }
        return columns;
    }

    /** Every relation name in scope: parents, partitions, shared data, shared views with their foreign siblings. */
    private static List<TableName> relationNames(InspectionScope names) {
        List<TableName> all = new ArrayList<>(names.parents());
        all.addAll(names.partitions());
        all.addAll(names.sharedData());
        names.sharedViews().keySet().forEach(view -> {
            all.add(view);
            all.add(sharedForeignTable(view));
        });
        return all;
    }

    private static List<NodeObject> relations(ResultSet rows, String node, InspectionScope names, Map<TableName, List<Column>> columns)
            throws SQLException {
        List<NodeObject> relations = new ArrayList<>();
        Map<TableName, String> sharedServers = new HashMap<>();
        Map<TableName, List<String>> sharedColumnOptions = new HashMap<>();
        Map<TableName, Boolean> views = new LinkedHashMap<>();
        while (rows.next()) {
            TableName table = new TableName(rows.getString(1), rows.getString(2));
            String kind = rows.getString(3);
            if (names.sharedData().contains(table) && kind.equals("r")) {
                relations.add(new SharedData(table, columns.getOrDefault(table, List.of())));
            } else if (names.sharedViews().containsKey(table)) {
                if (kind.equals("v")) {
                    views.put(table, rows.getBoolean(13));
                }
            } else if (kind.equals("f") && table.name().endsWith(ForeignPartition.SUFFIX) && rows.getString(5) == null
                    && names.sharedViews().containsKey(table.sibling(table.name().substring(0, table.name().length() - ForeignPartition.SUFFIX.length())))) {
                TableName view = table.sibling(table.name().substring(0, table.name().length() - ForeignPartition.SUFFIX.length()));
                sharedServers.put(view, rows.getString(10));
                sharedColumnOptions.put(view, columnOptions(rows.getArray(14)));
            } else if (kind.equals("v")) {
                continue;
            } else if (names.parents().contains(table)) {
                relations.add(new ParentTable(table, columns.getOrDefault(table, List.of()), hashKey(rows)));
            } else if (rows.getString(3).equals("f")) {
                Map<String, String> options = options(rows.getArray(11));
                relations.add(new ForeignPartition(table, slot(rows), rows.getString(10),
                        options.getOrDefault("schema_name", table.schema()), options.getOrDefault("table_name", table.name()),
                        columnOptions(rows.getArray(14))));
            } else if (names.replicaParents().containsKey(table) && rows.getString(5) == null) {
                relations.add(new ReplicaTable(table, names.replicaParents().get(table), node, columns.getOrDefault(table, List.of())));
            } else if (rows.getString(5) == null && rows.getBoolean(12)) {
                // a copy the states do not place here (e.g. the new copy of a MoveReplica that crashed before its commit):
                // its read-only trigger says it is a replica, which a reconcile may drop, not a detached partition of user data
                relations.add(new ReplicaTable(table, table.sibling(table.name().replaceFirst("_\\d+$", "")), node, List.of()));
            } else {
                relations.add(new LocalPartition(table, slot(rows)));
            }
        }
        views.forEach((view, writesAsOwner) -> relations.add(new SharedView(view, names.sharedViews().get(view),
                columns.getOrDefault(view, List.of()), Optional.ofNullable(sharedServers.get(view)), writesAsOwner,
                sharedServers.containsKey(view) ? columns.getOrDefault(sharedForeignTable(view), List.of()) : List.of(),
                sharedColumnOptions.getOrDefault(view, List.of()))));
        return relations;
    }

    /** {@code name_fdw} beside a shared table's view {@code name}: where a node other than the master writes. */
    private static TableName sharedForeignTable(TableName view) {
        return view.sibling(ForeignPartition.nameFor(view.name()));
    }

    private static List<String> columnOptions(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static List<NodeObject> partitionIndexes(ResultSet rows, InspectionScope names, List<NodeObject> relations) throws SQLException {
        // indexes live on every table holding rows here: local partitions, replicas and shared data
        Set<TableName> localTables = relations.stream()
                .map(relation -> relation instanceof LocalPartition local ? local.table()
                        : relation instanceof ReplicaTable replica ? replica.table()
                        : relation instanceof SharedData data ? data.table() : null)
                .filter(Objects::nonNull).collect(Collectors.toSet());
        List<NodeObject> indexes = new ArrayList<>();
        while (rows.next()) {
            TableName table = new TableName(rows.getString(1), rows.getString(2));
            if (!localTables.contains(table)) {
                continue;
            }
            String name = rows.getString(3);
            List<String> indexColumns = Arrays.asList((String[]) rows.getArray(6).getArray());
            if (rows.getBoolean(4)) {
                indexes.add(new PrimaryKey(table, name, indexColumns));
            } else if (names.indexes().contains(table.sibling(name))) {
                indexes.add(new PartitionIndex(table, name, indexColumns, rows.getBoolean(5)));
            }
        }
        return indexes;
    }

    private static List<NodeObject> partitionGrants(ResultSet rows, InspectionScope names, List<NodeObject> relations) throws SQLException {
        Set<TableName> granted = Set.copyOf(grantTables(relations));
        List<NodeObject> grants = new ArrayList<>();
        while (rows.next()) {
            TableName table = new TableName(rows.getString(1), rows.getString(2));
            if (!granted.contains(table)) {
                continue;
            }
            TreeSet<String> privileges = new TreeSet<>(Arrays.asList((String[]) rows.getArray(4).getArray()));
            if (rows.getBoolean(5)) {
                privileges.add(PartitionGrant.SCHEMA_USAGE);
            }
            if (names.managesGrant(table, rows.getString(3))) {
                grants.add(new PartitionGrant(table, rows.getString(3), privileges));
            }
        }
        return grants;
    }

    /** The tables shardman grants on: local partitions, shared data tables, parents and shared views. */
    private static List<TableName> grantTables(List<NodeObject> relations) {
        return relations.stream()
                .map(relation -> relation instanceof LocalPartition local ? local.table()
                        : relation instanceof SharedData data ? data.table()
                        : relation instanceof ParentTable parent ? parent.table()
                        : relation instanceof SharedView view ? view.view() : null)
                .filter(Objects::nonNull).toList();
    }

    /** The two parameters of a scoped query: the schemas and the names of {@code tables}. */
    private static List<Object> scope(CatalogReads reads, Collection<TableName> tables) throws SQLException {
        return List.of(reads.textArray(tables.stream().map(TableName::schema).toList()), reads.textArray(tables.stream().map(TableName::name).toList()));
    }

    private static String hashKey(ResultSet rows) throws SQLException {
        String key = rows.getString(9);
        return "h".equals(rows.getString(7)) && rows.getInt(8) == 1 && key != null ? key : ParentTable.NOT_HASH_PARTITIONED;
    }

    private static Optional<PartitionSlot> slot(ResultSet rows) throws SQLException {
        String parentName = rows.getString(5);
        String bound = rows.getString(6);
        if (parentName == null || bound == null) {
            return Optional.empty();
        }
        Matcher matcher = HASH_BOUND.matcher(bound);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new PartitionSlot(new TableName(rows.getString(4), parentName),
                Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }

    /** {@code {host=a,port=5432}} as a sorted map; values are never passwords here (servers and foreign tables only). */
    private static TreeMap<String, String> options(Array array) throws SQLException {
        TreeMap<String, String> options = new TreeMap<>();
        if (array != null) {
            for (String option : (String[]) array.getArray()) {
                int equals = option.indexOf('=');
                options.put(equals < 0 ? option : option.substring(0, equals), equals < 0 ? "" : option.substring(equals + 1));
            }
        }
        return options;
    }
}
