package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.objects.CatalogReads;
import dev.shardman.applier.objects.TableName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The objects of moves on one node ({@code shardman_move_<id>} subscriptions, publications and slots, and standalone
 * copies carrying a CHECK constraint of that name) whose move is not in flight: orphans, which drift-check reports and
 * recover drops. Read in one query per kind, all in one round trip; read-only.
 */
public final class MoveLeftovers {
    /** One orphan: {@code kind} is subscription, publication, slot or copy; {@code table} only for a copy. */
    public record Leftover(String kind, String name, Optional<TableName> table) {
        public Leftover {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
            requireNonNull(table, "table is null");
        }

        public String describe() {
            return table.map(copy -> "copy " + copy + " of move " + name).orElse(kind + " " + name) + " belongs to no move in flight";
        }
    }

    private static final String LIKE = MoveRecord.NAME_PREFIX.replace("_", "\\_") + "%";
    private static final String SUBSCRIPTIONS = """
            SELECT subname FROM pg_catalog.pg_subscription WHERE subname LIKE ?
              AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())""";
    private static final String PUBLICATIONS = "SELECT pubname FROM pg_catalog.pg_publication WHERE pubname LIKE ?";
    private static final String SLOTS = """
            SELECT slot_name FROM pg_catalog.pg_replication_slots WHERE slot_name LIKE ? AND NOT active AND database = current_database()""";
    private static final String COPIES = """
            SELECT k.conname, n.nspname, c.relname
            FROM pg_catalog.pg_constraint k
            JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE k.conname LIKE ? AND k.contype = 'c' AND NOT c.relispartition AND c.relkind = 'r'""";

    private MoveLeftovers() {
    }

    /** The move objects on the node whose name is not one of {@code inFlight} (channel names of the moves in flight). */
    public static List<Leftover> find(Connection connection, Set<String> inFlight) throws SQLException {
        List<Leftover> result = new ArrayList<>();
        CatalogReads reads = new CatalogReads(connection);
        read(reads, inFlight, result);
        reads.run();
        return result;
    }

    /** Adds the reads of {@link #find} to {@code reads} (one round trip with the caller's other queries); {@code result} is filled when they run. */
    public static void read(CatalogReads reads, Set<String> inFlight, List<Leftover> result) {
        reads.add(SUBSCRIPTIONS, List.of(LIKE), rows -> names(rows).forEach(name -> add(result, inFlight, new Leftover("subscription", name, Optional.empty()))));
        reads.add(PUBLICATIONS, List.of(LIKE), rows -> names(rows).forEach(name -> add(result, inFlight, new Leftover("publication", name, Optional.empty()))));
        reads.add(SLOTS, List.of(LIKE), rows -> names(rows).forEach(name -> add(result, inFlight, new Leftover("slot", name, Optional.empty()))));
        reads.add(COPIES, List.of(LIKE), rows -> {
            while (rows.next()) {
                add(result, inFlight, new Leftover("copy", rows.getString(1), Optional.of(new TableName(rows.getString(2), rows.getString(3)))));
            }
        });
    }

    private static void add(List<Leftover> result, Set<String> inFlight, Leftover leftover) {
        if (!inFlight.contains(leftover.name())) {
            result.add(leftover);
        }
    }

    private static List<String> names(ResultSet rows) throws SQLException {
        List<String> names = new ArrayList<>();
        while (rows.next()) {
            names.add(rows.getString(1));
        }
        return names;
    }
}
