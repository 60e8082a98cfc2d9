package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.objects.ForeignPartition;
import dev.shardman.applier.objects.NodeObject;
import dev.shardman.applier.objects.PartitionGrant;
import dev.shardman.applier.objects.PartitionIndex;
import dev.shardman.applier.objects.PrimaryKey;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.SqlStatement;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.applier.replication.ReplicaHandover;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Phase {@code cutover}: ONE transaction on the source, the write fence. The unit's parents are locked (ACCESS
 * EXCLUSIVE) before each {@code t_n} (EXCLUSIVE): the other order deadlocks with writers routed through the parent.
 * Once the destination confirmed the fence's WAL position, the replicas are handed over ({@link ReplicaHandover}),
 * the snapshot for {@code verify} is taken, {@code t_n} is retired and the proxy created. Conflicts retry
 * ({@link #ATTEMPTS}, {@link #CONFIRM_ATTEMPTS}). Never DETACH CONCURRENTLY (docs/internals/moves.md, "Cutover").
 */
final class MoveCutover {
    /**
     * Every lock wait of the cutover gives up well before PostgreSQL's deadlock check (deadlock_timeout, 1 s by
     * default): when a writer and the cutover wait on each other (a writer's UPDATE of the partition takes the
     * parent's lock for the partition constraint while the cutover holds it), the cutover steps back and tries again,
     * instead of the deadlock detector cancelling the writer's statement (a client error, seen once in CI).
     */
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(400);
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    /** Fences tried, each after a fresh catch-up, before the move fails on a destination that does not confirm. */
    static final int CONFIRM_ATTEMPTS = 3;
    static final int ATTEMPTS = 12;

    /**
     * What the cutover left: the write fence, when it ran in this process the destination's open snapshot, and the
     * replica holders that do not follow the destination from the fence ({@link ReplicaHandover}), one line each.
     */
    record Result(Duration fence, Optional<Connection> snapshot, List<String> leftOut) {
    }

    private MoveCutover() {
    }

    /** Whether the source's cutover transaction committed (its retired copy of the anchor exists): then the move only goes forward. */
    static boolean committed(MoveContext context) throws SQLException {
        return MoveSql.exists(context.connections().shared(context.source()), context.retired(context.tables().get(0)));
    }

    /** Runs the cutover; {@code events} gets the fault point {@code <step id>@cutover-handover-done}, inside the fence. */
    static Result run(MoveContext context, ChannelReconciler channels, MoveEvents events) throws SQLException {
        if (committed(context)) {
            return new Result(Duration.ZERO, Optional.empty(), List.of());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return MoveSql.retrying(ATTEMPTS, () -> once(context, channels, events));
            } catch (FenceNotConfirmed behind) {
                if (attempt == CONFIRM_ATTEMPTS) {
                    throw behind.after(attempt);
                }
                events.notice(behind.summary() + "; catching up again, then attempt " + (attempt + 1) + " of " + CONFIRM_ATTEMPTS);
                MoveCatchUp.run(context, 0, 0, progress -> { });
            }
        }
    }

    /**
     * The destination did not confirm the fence position in time (a destination or machine too busy to apply it): the
     * fence rolled back, writers went on. The move catches up again and retries, as a person rerunning apply would.
     */
    private static final class FenceNotConfirmed extends ShardmanException {
        private static final long serialVersionUID = 1L;

        FenceNotConfirmed(String summary, String hint) {
            super(ErrorCode.NODE_FAILURE, summary, hint);
        }

        ShardmanException after(int attempts) {
            return new ShardmanException(ErrorCode.NODE_FAILURE, summary() + " (" + attempts + " attempts)", detail());
        }
    }

    /** The handover of the move's replicas to its destination. */
    static ReplicaHandover handover(MoveContext context) {
        return ReplicaHandover.of(context.connections()::shared, context.after(), context.source(), context.destination(),
                moved(context), context.move().channelName());
    }

    private static Result once(MoveContext context, ChannelReconciler channels, MoveEvents events) throws SQLException {
        Set<TableName> moved = moved(context);
        ReplicaHandover handover = handover(context);
        if (handover.undoUncommitted()) {
            MoveCatchUp.run(context, 0, 0, progress -> { });
        }
        channels.openForHandover(context.before(), context.after(), context.destination(), moved);
        Connection source = context.connections().shared(context.source());
        List<String> ddl = ddl(context);
        Connection snapshot = context.connections().open(context.destination());
        boolean committed = false;
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Connection watcher = context.connections().open(context.source())) {
            handover.awaitHoldersClose(watcher);
            cancelAutovacuum(context, watcher);
            MoveSql.execute(source, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
            MoveSql.execute(source, "LOCK TABLE " + tables(context, true) + " IN ACCESS EXCLUSIVE MODE");
            MoveSql.execute(source, "LOCK TABLE " + tables(context, false) + " IN EXCLUSIVE MODE");
            long fenceStart = System.nanoTime();
            String position = MoveSql.queryText(source, "SELECT pg_catalog.pg_current_wal_lsn()::text").orElseThrow();
            awaitConfirmed(context, watcher, position);
            List<String> leftOut = handover.inFence(watcher, position);
            events.faultPoint(context.move().stepId(), "cutover-handover-done");
            snapshot.setAutoCommit(false);
            snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            MoveSql.execute(snapshot, "SELECT 1");
            MoveSql.execute(source, "CREATE SCHEMA IF NOT EXISTS " + SqlNames.identifier(MoveRecord.RETIRED_SCHEMA));
            for (String statement : ddl) {
                MoveSql.execute(source, statement);
            }
            source.commit();
            committed = true;
            return new Result(Duration.ofNanos(System.nanoTime() - fenceStart), Optional.of(snapshot), leftOut);
        } finally {
            if (!committed) {
                source.rollback();
                snapshot.close();
                undoQuietly(handover);
            }
            source.setAutoCommit(autoCommit);
        }
    }

    /**
     * A fence that rolled back leaves the source taking writes again: the destination's copy follows it again at once
     * (not only at the next attempt), so that a source lost now finds a complete copy or none. Best effort: the next
     * attempt, or recover, does it otherwise.
     */
    private static void undoQuietly(ReplicaHandover handover) {
        try {
            handover.undoUncommitted();
        } catch (SQLException | RuntimeException unreachable) {
            // done by the next attempt
        }
    }

    /** The unit's partitions, as the replication channels name them. */
    static Set<TableName> moved(MoveContext context) {
        return context.tables().stream().map(table -> new TableName(table.schema(), context.partition(table).name())).collect(Collectors.toSet());
    }

    /**
     * Cancels an autovacuum worker busy on one of the unit's partitions on the source (not one that prevents
     * wraparound), right before the locks: the LOCK would otherwise wait behind it, with every writer queued behind
     * the LOCK, until PostgreSQL cancels it itself at deadlock_timeout (1 s of blocked writes). Autovacuum comes back
     * to the table later; the retired copy is dropped anyway.
     */
    private static void cancelAutovacuum(MoveContext context, Connection watcher) throws SQLException {
        for (TableState table : context.tables()) {
            MoveSql.queryLong(watcher, "SELECT count(pg_catalog.pg_cancel_backend(a.pid)) FROM pg_catalog.pg_stat_progress_vacuum p"
                    + " JOIN pg_catalog.pg_stat_activity a ON a.pid = p.pid WHERE p.relid = to_regclass(?)"
                    + " AND a.backend_type = 'autovacuum worker' AND a.query NOT LIKE '%to prevent wraparound%'",
                    SqlNames.qualified(context.partition(table)));
        }
    }

    /** Polls the slot from a second session (the first holds the locks) until it confirmed {@code position}. */
    private static void awaitConfirmed(MoveContext context, Connection watcher, String position) throws SQLException {
        long deadline = System.nanoTime() + CONFIRM_TIMEOUT.toNanos();
        while (!MoveSql.queryBoolean(watcher, "SELECT coalesce(bool_and(confirmed_flush_lsn >= ?::pg_lsn), false)"
                + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ?", position, context.move().channelName())) {
            if (System.nanoTime() > deadline) {
                throw new FenceNotConfirmed(context.destination().name() + " did not confirm the source's position "
                        + position + " within " + CONFIRM_TIMEOUT.toSeconds() + " s; the cutover of " + context.move().describe() + " was rolled back",
                        "run apply again (the move resumes and tries the cutover again); look at the destination's apply worker if it repeats");
            }
            MoveSql.sleep(5);
        }
    }

    private static String tables(MoveContext context, boolean parents) {
        return context.tables().stream().map(table -> SqlNames.qualified(parents ? context.parent(table) : context.partition(table)))
                .collect(Collectors.joining(", "));
    }

    /** Everything the transaction changes, rendered before it starts (no template work inside the fence). */
    private static List<String> ddl(MoveContext context) {
        List<String> statements = new ArrayList<>();
        for (TableState table : context.tables()) {
            TableName partition = context.partition(table);
            List<NodeObject> held = context.expected(context.before(), context.source(), Set.of(partition));
            List<Map<String, Object>> indexes = new ArrayList<>();
            for (NodeObject object : held) {
                String index = object instanceof PrimaryKey key ? key.name() : object instanceof PartitionIndex other ? other.name() : null;
                if (index != null) {
                    indexes.add(Map.of("from", SqlNames.qualified(partition.sibling(index)),
                            "to", SqlNames.identifier(context.move().retiredName(index))));
                }
            }
            TableName retired = context.retired(table);
            statements.add(context.render("move_retire_partition", Map.of("parent", SqlNames.qualified(context.parent(table)),
                    "table", SqlNames.qualified(partition), "indexes", indexes, "retiredName", SqlNames.identifier(retired.name()),
                    "renamed", SqlNames.qualified(partition.sibling(retired.name())), "retiredSchema", SqlNames.identifier(retired.schema()))));
            List<NodeObject> foreign = context.expected(context.after(), context.source(), Set.of(context.foreignPartition(table))).stream()
                    .filter(ForeignPartition.class::isInstance).toList();
            MoveSql.creates(context.changeSql(), foreign).stream().map(SqlStatement::text).forEach(statements::add);
            statements.add(proxy(context, table));
            List<NodeObject> grants = held.stream().filter(PartitionGrant.class::isInstance).toList();
            MoveSql.creates(context.changeSql(), grants).stream().map(SqlStatement::text).forEach(statements::add);
        }
        return statements;
    }

    private static String proxy(MoveContext context, TableState table) {
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnState column : table.columns()) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("name", SqlNames.identifier(column.name()));
            model.put("type", column.type());
            model.put("notNull", !column.nullable());
            column.defaultExpression().ifPresent(expression -> model.put("default", expression));
            columns.add(model);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("table", SqlNames.qualified(context.partition(table)));
        model.put("columns", columns);
        model.put("server", SqlNames.identifier(dev.shardman.applier.objects.ForeignServer.nameFor(context.destination().id())));
        model.put("remoteSchema", SqlNames.literal(table.schema()));
        model.put("remoteTable", SqlNames.literal(context.partition(table).name()));
        return context.render("move_create_proxy", model);
    }
}
