package dev.shardman.applier.execute;

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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One attempt of a step's node work takes the locks of the sharded tables it alters in one order across the nodes:
 * first every node's entry points (the parents, where clients come in), then, once every node holds its own, the
 * partitions. A client that came in on one node and writes, through
 * postgres_fdw, to a partition on another is then either finished or not started when that partition is locked, so
 * it cannot hold one node's table while it waits for the step on another (the cycle of chaos seed 31006).
 */
final class EntryLocks {
    /** SQLSTATE lock_not_available: a round that waited too long for the other nodes is a lock wait like any other. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String EXISTING = "SELECT r::text FROM unnest(?::text[]) AS n(name), LATERAL pg_catalog.to_regclass(n.name) AS r WHERE r IS NOT NULL";

    private final List<TableName> entryPoints;
    private final Phaser nodes;

    private EntryLocks(List<TableName> entryPoints, int parties) {
        this.entryPoints = List.copyOf(entryPoints);
        this.nodes = new Phaser(parties);
    }

    /**
     * The entry locks of one attempt over {@code parties} nodes, or none when the step alters no existing table: the
     * tables present before and after with another definition (columns, indexes, grants).
     */
    static Optional<EntryLocks> of(ClusterState before, ClusterState after, int parties) {
        List<TableName> altered = new ArrayList<>();
        // sharded tables only: a shared table's entry point is a view, and locking a view locks the tables it reads, on
        // every copy the data table a subscription applies to: a synchronous commit would wait on the step
        for (TableState table : before.tables().stream().filter(TableState::isSharded).toList()) {
            after.table(table.name()).filter(changed -> !Objects.equals(changed, table))
                    .ifPresent(changed -> altered.add(new TableName(table.schema(), table.name())));
        }
        return altered.isEmpty() || parties < 2 ? Optional.empty() : Optional.of(new EntryLocks(altered, parties));
    }

    /** One node's part: it either locks its entry points and waits for the others, or passes; exactly one of them, once. */
    Ticket ticket() {
        return new Ticket();
    }

    final class Ticket {
        private boolean done;

        /**
         * Locks this node's entry points (ACCESS EXCLUSIVE, the parent or view only) in {@code connection}'s open
         * transaction, then waits at most {@code wait} for every other node of the round to hold its own.
         */
        void lockThenAwait(Connection connection, Duration wait) throws SQLException {
            List<String> existing = existing(connection);
            if (!existing.isEmpty()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LOCK TABLE ONLY " + String.join(", ", existing) + " IN ACCESS EXCLUSIVE MODE");
                }
            }
            done = true;
            int phase = nodes.arrive();
            try {
                nodes.awaitAdvanceInterruptibly(phase, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException late) {
                throw new SQLException("the other nodes did not take their entry locks within " + wait.toMillis() + " ms", LOCK_NOT_AVAILABLE);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the other nodes' entry locks", LOCK_NOT_AVAILABLE);
            }
        }

        /** The node takes no (more) part in this round: the others do not wait for it. */
        void pass() {
            if (!done) {
                done = true;
                nodes.arriveAndDeregister();
            }
        }

        /** The entry points present on the node, quoted. */
        private List<String> existing(Connection connection) throws SQLException {
            String[] names = entryPoints.stream().map(SqlNames::qualified).toArray(String[]::new);
            List<String> existing = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(EXISTING)) {
                Array array = connection.createArrayOf("text", names);
                statement.setArray(1, array);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        existing.add(rows.getString(1));
                    }
                }
            }
            return existing.stream().sorted().collect(Collectors.toList());
        }
    }
}
