package dev.shardman.applier.execute;

import dev.shardman.applier.objects.SharedData;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.TableState;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A step that alters tables takes its locks in one order across the nodes: first where writers come in (sharded
 * parents alone, shared tables' views), then what they write to (the parents with their partitions, a shared table's
 * data on its master), each level held everywhere before the next, and only then the replicas and shared copies. A
 * writer holding a table (waiting for its synchronous replica, or writing there through postgres_fdw) is thus finished
 * or not started when the step locks a copy or another node's table (docs/internals/recovery-and-faults.md, "The lock
 * order of a step that alters tables").
 */
final class SourceLocks {
    /** SQLSTATE lock_not_available: waiting too long for the other nodes is a lock wait like any other (retried in rounds). */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String PRESENT = """
            SELECT n.name, r::text, pg_catalog.pg_get_userbyid(c.relowner), c.relkind = 'v'
            FROM unnest(?::text[]) AS n(name) CROSS JOIN LATERAL pg_catalog.to_regclass(n.name) AS r
            JOIN pg_catalog.pg_class c ON c.oid = r""";

    private final List<TableName> parents;
    /** Shared tables whose columns change: their views are re-created, so writers must be kept out of them first. */
    private final List<TableName> views;
    /** Shared tables whose columns or indexes change: their data, by the nodes that are its master before or after. */
    private final Map<TableName, List<String>> masterData;
    private final Phaser nodes;

    private SourceLocks(List<TableName> parents, List<TableName> views, Map<TableName, List<String>> masterData, int parties) {
        this.parents = List.copyOf(parents);
        this.views = List.copyOf(views);
        this.masterData = Map.copyOf(masterData);
        this.nodes = new Phaser(parties);
    }

    /**
     * The source locks of one attempt over {@code parties} nodes, or none when the step changes the columns or indexes of
     * no existing table (a new replica's work does not lock what writers use) or one node works alone.
     */
    static Optional<SourceLocks> of(ClusterState before, ClusterState after, int parties) {
        List<TableName> parents = new ArrayList<>();
        List<TableName> views = new ArrayList<>();
        Map<TableName, List<String>> masterData = new HashMap<>();
        for (TableState table : before.tables()) {
            Optional<TableState> changed = after.table(table.name());
            boolean columns = changed.isPresent() && !changed.get().columns().equals(table.columns());
            boolean indexes = changed.isPresent() && !changed.get().indexes().equals(table.indexes());
            TableName name = new TableName(table.schema(), table.name());
            if (table.isSharded() && (columns || indexes)) {
                parents.add(name);
            } else if (!table.isSharded() && (columns || indexes)) {
                if (columns) {
                    views.add(name);
                }
                List<String> masters = new ArrayList<>();
                table.master().ifPresent(masters::add);
                changed.get().master().filter(master -> !masters.contains(master)).ifPresent(masters::add);
                masterData.put(SharedData.nameFor(table.name()), masters);
            }
        }
        boolean none = parents.isEmpty() && masterData.isEmpty();
        return none || parties < 2 ? Optional.empty() : Optional.of(new SourceLocks(parents, views, masterData, parties));
    }

    /** {@code node}'s part: it either takes every level of locks, each followed by a wait for the others, or passes. */
    Ticket ticket(String node) {
        return new Ticket(node);
    }

    final class Ticket {
        private final String node;
        private boolean done;

        private Ticket(String node) {
            this.node = node;
        }

        /**
         * Takes each level of this node's locks in {@code connection}'s open transaction, and after each waits at most
         * {@code wait} for every other node to hold its own. SHARE lets readers in and keeps writers out; the DDL
         * takes the stronger lock it needs later.
         */
        void lockThenAwait(Connection connection, Duration wait) throws SQLException {
            Map<TableName, Present> present = present(connection);
            List<String> parentsHere = parents.stream().filter(present::containsKey).map(name -> present.get(name).regclass()).toList();
            lock(connection, "LOCK TABLE ONLY %s IN SHARE MODE", parentsHere);
            for (TableName view : views.stream().filter(name -> present.containsKey(name) && present.get(name).view()).toList()) {
                // the view alone: LOCK TABLE on a view locks the table it reads too, here a copy its subscription applies
                // to; a change of owner to the one it has is a no-op that takes ACCESS EXCLUSIVE on the view only
                execute(connection, "ALTER VIEW " + present.get(view).regclass() + " OWNER TO " + SqlNames.identifier(present.get(view).owner()));
            }
            awaitOthers(wait);
            lock(connection, "LOCK TABLE %s IN SHARE MODE", parentsHere);
            lock(connection, "LOCK TABLE %s IN SHARE MODE", masterData.entrySet().stream()
                    .filter(data -> data.getValue().contains(node) && present.containsKey(data.getKey()))
                    .map(data -> present.get(data.getKey()).regclass()).toList());
            awaitOthers(wait);
            done = true;
        }

        /** The node takes no (more) part in this attempt: the others do not wait for it. */
        void pass() {
            if (!done) {
                done = true;
                nodes.arriveAndDeregister();
            }
        }

        private void awaitOthers(Duration wait) throws SQLException {
            int phase = nodes.arrive();
            try {
                nodes.awaitAdvanceInterruptibly(phase, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException late) {
                throw new SQLException("the other nodes did not lock the altered tables within " + wait.toMillis() + " ms", LOCK_NOT_AVAILABLE);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the other nodes to lock the altered tables", LOCK_NOT_AVAILABLE);
            }
        }

        private static void lock(Connection connection, String statement, List<String> relations) throws SQLException {
            if (!relations.isEmpty()) {
                execute(connection, statement.formatted(String.join(", ", relations)));
            }
        }

        private static void execute(Connection connection, String sql) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        /** The relations of this step present on the node: each as a quoted regclass, with its owner and whether it is a view. */
        private Map<TableName, Present> present(Connection connection) throws SQLException {
            Map<String, TableName> byQuoted = new HashMap<>();
            parents.forEach(name -> byQuoted.put(SqlNames.qualified(name), name));
            views.forEach(name -> byQuoted.put(SqlNames.qualified(name), name));
            masterData.keySet().forEach(name -> byQuoted.put(SqlNames.qualified(name), name));
            Map<TableName, Present> present = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(PRESENT)) {
                Array array = connection.createArrayOf("text", byQuoted.keySet().toArray(String[]::new));
                statement.setArray(1, array);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        present.put(byQuoted.get(rows.getString(1)), new Present(rows.getString(2), rows.getString(3), rows.getBoolean(4)));
                    }
                }
            }
            return present;
        }
    }

    private record Present(String regclass, String owner, boolean view) {
    }
}
