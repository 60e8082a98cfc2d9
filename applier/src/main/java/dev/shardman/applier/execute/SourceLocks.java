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
import java.util.Optional;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A step that alters sharded tables takes its locks in one order across the nodes: every node's parents alone, then
 * the parents with their partitions, each level held everywhere before the next, and only then the replicas. A writer
 * holding a partition (waiting for its synchronous replica, or writing there through postgres_fdw) is thus finished
 * or not started when the step locks a replica or another node's partition (docs/internals/recovery-and-faults.md,
 * "The lock order of a step that alters tables"; shared tables are not ordered, said there why).
 */
final class SourceLocks {
    /** SQLSTATE lock_not_available: waiting too long for the other nodes is a lock wait like any other (retried in rounds). */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String EXISTING = "SELECT r::text FROM unnest(?::text[]) AS n(name), LATERAL pg_catalog.to_regclass(n.name) AS r WHERE r IS NOT NULL";
    /** SHARE: writers wait, readers do not; the DDL takes the stronger lock it needs later. */
    private static final List<String> LEVELS = List.of("LOCK TABLE ONLY %s IN SHARE MODE", "LOCK TABLE %s IN SHARE MODE");

    private final List<TableName> parents;
    private final Phaser nodes;

    private SourceLocks(List<TableName> parents, int parties) {
        this.parents = List.copyOf(parents);
        this.nodes = new Phaser(parties);
    }

    /**
     * The source locks of one attempt over {@code parties} nodes, or none when the step changes the columns or indexes of
     * no existing sharded table (its DDL would block writers anyway; a new replica's work does not) or one node works alone.
     */
    static Optional<SourceLocks> of(ClusterState before, ClusterState after, int parties) {
        List<TableName> parents = new ArrayList<>();
        for (TableState table : before.tables().stream().filter(TableState::isSharded).toList()) {
            after.table(table.name()).filter(changed -> !changed.columns().equals(table.columns()) || !changed.indexes().equals(table.indexes()))
                    .ifPresent(changed -> parents.add(new TableName(table.schema(), table.name())));
        }
        return parents.isEmpty() || parties < 2 ? Optional.empty() : Optional.of(new SourceLocks(parents, parties));
    }

    /** One node's part: it either takes every level of locks, each followed by a wait for the others, or passes. */
    Ticket ticket() {
        return new Ticket();
    }

    final class Ticket {
        private boolean done;

        /**
         * Takes each level of this node's locks in {@code connection}'s open transaction, and after each waits at most
         * {@code wait} for every other node to hold its own.
         */
        void lockThenAwait(Connection connection, Duration wait) throws SQLException {
            List<String> existing = existing(connection);
            for (String level : LEVELS) {
                if (!existing.isEmpty()) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(level.formatted(String.join(", ", existing)));
                    }
                }
                awaitOthers(wait);
            }
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

        /** The altered parents present on the node, quoted. */
        private List<String> existing(Connection connection) throws SQLException {
            List<String> existing = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(EXISTING)) {
                Array array = connection.createArrayOf("text", parents.stream().map(SqlNames::qualified).toArray(String[]::new));
                statement.setArray(1, array);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        existing.add(rows.getString(1));
                    }
                }
            }
            return existing;
        }
    }
}
