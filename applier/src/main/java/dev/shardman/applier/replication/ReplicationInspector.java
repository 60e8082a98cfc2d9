package dev.shardman.applier.replication;

import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.applier.objects.CatalogReads;
import dev.shardman.model.conninfo.Conninfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a node's {@code shardman_%} publications (with pg_publication_tables), subscriptions of the
 * current database (pg_subscription with pg_subscription_rel) and replication slots in
 * {@value #QUERIES_PER_NODE} queries whatever the number of tables, sent as one statement. The temporary channels of data moves
 * ({@code shardman_move_%}, see {@code applier.move}) are not replication channels and are left out: the channel
 * reconciler must never drop them mid-move (the move code and recover own them). The subscription conninfo is
 * parsed on the client for host, port and dbname; its password is dropped at once. Its salted digest is computed by the server.
 */
public final class ReplicationInspector {
    public static final int QUERIES_PER_NODE = 3;
    /** The statements (round trips) that carry those queries: one ({@link CatalogReads}). */
    public static final int STATEMENTS_PER_NODE = 1;

    private static final String PUBLICATIONS = """
            SELECT p.pubname, pt.schemaname, pt.tablename
            FROM pg_catalog.pg_publication p
            LEFT JOIN pg_catalog.pg_publication_tables pt ON pt.pubname = p.pubname
            WHERE p.pubname LIKE 'shardman\\_%' AND p.pubname NOT LIKE 'shardman\\_move\\_%'""";
    private static final String SUBSCRIPTIONS = """
            SELECT s.subname, s.subenabled, s.subconninfo, s.subpublications, s.subslotname, n.nspname, c.relname, r.srsubstate::text,
                   s.subsynccommit, encode(pg_catalog.sha256(convert_to(? || s.subconninfo, 'UTF8')), 'hex')
            FROM pg_catalog.pg_subscription s
            LEFT JOIN pg_catalog.pg_subscription_rel r ON r.srsubid = s.oid
            LEFT JOIN pg_catalog.pg_class c ON c.oid = r.srrelid
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
              AND s.subname LIKE 'shardman\\_%' AND s.subname NOT LIKE 'shardman\\_move\\_%'""";
    private static final String SLOTS = """
            SELECT slot_name, active, database FROM pg_catalog.pg_replication_slots
            WHERE slot_name LIKE 'shardman\\_%' AND slot_name NOT LIKE 'shardman\\_move\\_%' AND database = current_database()""";

    public ObservedReplication inspect(Connection connection, String node) throws SQLException {
        List<ObservedReplication> observed = new ArrayList<>();
        CatalogReads reads = new CatalogReads(connection);
        read(reads, node, observed::add);
        reads.run();
        return observed.get(0);
    }

    /** Adds the reads of {@link #inspect} to {@code reads} (one round trip with other reads); {@code result} gets the node's channels when they run. */
    public void read(CatalogReads reads, String node, Consumer<ObservedReplication> result) {
        Map<String, ObservedReplication.Publication> publications = new HashMap<>();
        Map<String, ObservedReplication.Subscription> subscriptions = new HashMap<>();
        reads.add(PUBLICATIONS, List.of(), rows -> publications.putAll(publications(rows)))
                .add(SUBSCRIPTIONS, List.of(SecretDigest.salt()), rows -> subscriptions.putAll(subscriptions(rows)))
                .add(SLOTS, List.of(), rows -> result.accept(new ObservedReplication(node, publications, subscriptions, slots(rows))));
    }

    private static Map<String, ObservedReplication.Publication> publications(ResultSet rows) throws SQLException {
        Map<String, Set<TableName>> tables = new TreeMap<>();
        while (rows.next()) {
            Set<TableName> set = tables.computeIfAbsent(rows.getString(1), name -> new HashSet<>());
            if (rows.getString(3) != null) {
                set.add(new TableName(rows.getString(2), rows.getString(3)));
            }
        }
        Map<String, ObservedReplication.Publication> result = new HashMap<>();
        tables.forEach((name, set) -> result.put(name, new ObservedReplication.Publication(name, set)));
        return result;
    }

    private static Map<String, ObservedReplication.Subscription> subscriptions(ResultSet rows) throws SQLException {
        Map<String, ObservedReplication.Subscription> heads = new TreeMap<>();
        Map<String, Map<TableName, String>> states = new HashMap<>();
        readSubscriptions(rows, heads, states);
        Map<String, ObservedReplication.Subscription> result = new HashMap<>();
        heads.forEach((name, head) -> result.put(name, new ObservedReplication.Subscription(name, head.enabled(), head.host(), head.port(),
                head.dbname(), head.publications(), head.slot(), states.getOrDefault(name, Map.of()), head.synchronousCommit(),
                head.conninfoDigest())));
        return result;
    }

    private static void readSubscriptions(ResultSet rows, Map<String, ObservedReplication.Subscription> heads,
                                          Map<String, Map<TableName, String>> states) throws SQLException {
        while (rows.next()) {
            String name = rows.getString(1);
            if (!heads.containsKey(name)) {
                Conninfo conninfo = Conninfo.parse(rows.getString(3));
                heads.put(name, new ObservedReplication.Subscription(name, rows.getBoolean(2), conninfo.host(), conninfo.portText(),
                        conninfo.dbname().orElse(""), Arrays.asList((String[]) rows.getArray(4).getArray()),
                        Optional.ofNullable(rows.getString(5)), Map.of(), rows.getString(9), rows.getString(10)));
            }
            Map<TableName, String> tableStates = states.computeIfAbsent(name, key -> new HashMap<>());
            if (rows.getString(7) != null) {
                tableStates.put(new TableName(rows.getString(6), rows.getString(7)), rows.getString(8));
            }
        }
    }

    /** The node's {@code shardman_} replication slots alone (one query), by name. */
    static Map<String, ObservedReplication.Slot> slots(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SLOTS); ResultSet rows = statement.executeQuery()) {
            return slots(rows);
        }
    }

    private static Map<String, ObservedReplication.Slot> slots(ResultSet rows) throws SQLException {
        Map<String, ObservedReplication.Slot> result = new HashMap<>();
        while (rows.next()) {
            result.put(rows.getString(1), new ObservedReplication.Slot(rows.getString(1), rows.getBoolean(2), rows.getString(3)));
        }
        return result;
    }

    static List<String> names(Map<String, ?> map) {
        return map.keySet().stream().sorted().toList();
    }
}
