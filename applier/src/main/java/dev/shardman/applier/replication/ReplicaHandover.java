package dev.shardman.applier.replication;

import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The replicas of a moving partition follow its destination from the source's write fence on, without being copied
 * again: inside the fence their subscriptions from the destination take the partitions with {@code copy_data = false}
 * (channels opened by {@link ChannelReconciler#openForHandover}). A holder not ready is left out and copied again
 * after the move. The move's subscription is disabled first, so a rolled-back fence streams nothing twice
 * ({@link #undoUncommitted}; docs/internals/replication.md, "Replica handover during a move").
 */
public final class ReplicaHandover {
    /** How long the fence waits for a replica holder to replay the source up to the fence before leaving it out. */
    static final Duration FENCE_WAIT = Duration.ofSeconds(5);
    /** Before the fence: how far behind a holder may be, and for how long we wait for it to get there. */
    static final long LAG_GATE_BYTES = 4L * 1024 * 1024;
    static final Duration GATE_WAIT = Duration.ofSeconds(30);

    private final Function<NodeState, Connection> connections;
    private final NodeState source;
    private final NodeState destination;
    private final List<Channel> channels;
    private final Set<TableName> moved;
    private final String moveSubscription;

    private ReplicaHandover(Function<NodeState, Connection> connections, NodeState source, NodeState destination, List<Channel> channels,
                            Set<TableName> moved, String moveSubscription) {
        this.connections = requireNonNull(connections, "connections is null");
        this.source = requireNonNull(source, "source is null");
        this.destination = requireNonNull(destination, "destination is null");
        this.channels = List.copyOf(channels);
        this.moved = Set.copyOf(moved);
        this.moveSubscription = requireNonNull(moveSubscription, "moveSubscription is null");
    }

    /** The handover of {@code moved} from {@code source} to {@code destination} (the move's subscription {@code moveSubscription}). */
    public static ReplicaHandover of(Function<NodeState, Connection> connections, ClusterState after, NodeState source, NodeState destination,
                                     Set<TableName> moved, String moveSubscription) {
        List<Channel> channels = ExpectedChannels.of(after).stream()
                .filter(channel -> !channel.shared() && channel.source().name().equals(destination.name()))
                .filter(channel -> channel.tables().stream().anyMatch(moved::contains)).toList();
        return new ReplicaHandover(connections, source, destination, channels, moved, moveSubscription);
    }

    /**
     * Undoes what a fence that rolled back left (the move's subscription disabled, partitions maybe published and
     * subscribed): the partitions leave the destination's publications and, where reachable, the holders' subscriptions
     * (never copying), then the move's subscription is enabled. True when it was: the destination must catch up again
     * before the next fence.
     */
    public boolean undoUncommitted() throws SQLException {
        Connection connection = connections.apply(destination);
        if (moveSubscriptionEnabled(connection).orElse(true)) {
            return false;
        }
        for (Channel channel : channels) {
            Set<TableName> published = publishedMoved(connection, channel.publication());
            if (!published.isEmpty()) {
                ReplicationSql.executeLocally(connection, "ALTER PUBLICATION " + SqlNames.identifier(channel.publication()) + " DROP TABLE "
                        + ReplicationSql.tables(published));
            }
            // a holder that cannot be reached keeps the entries: nothing is published for them any more
            onHolder(channel, holder -> {
                if (SharedHandover.subscribed(holder, channel.subscription())) {
                    ReplicationSql.executeLocally(holder, refreshWithoutCopy(channel));
                }
                return Optional.empty();
            });
        }
        ReplicationSql.executeLocally(connection, "ALTER SUBSCRIPTION " + SqlNames.identifier(moveSubscription) + " ENABLE");
        return true;
    }

    /** Before the fence: waits (at most {@link #GATE_WAIT}, then goes on) until each replica holder is close to the source's position. */
    public void awaitHoldersClose(Connection sourceSession) throws SQLException {
        long deadline = System.nanoTime() + GATE_WAIT.toNanos();
        for (Channel channel : channels) {
            String slot = fromSource(channel).subscription();
            long pause = 5;
            while (System.nanoTime() < deadline && lag(sourceSession, slot) > LAG_GATE_BYTES) {
                ReplicationSql.sleep(pause);
                pause = Math.min(50, pause * 2);
            }
        }
    }

    /**
     * Inside the source's fence, once the destination confirmed {@code position}: the handover. Returns one line per
     * replica holder left out (its replica is copied again after the move), empty when every holder follows.
     */
    public List<String> inFence(Connection sourceSession, String position) throws SQLException {
        Connection connection = connections.apply(destination);
        // also the mark that the fence got this far (fenceReached), with or without replicas
        ReplicationSql.executeLocally(connection, "ALTER SUBSCRIPTION " + SqlNames.identifier(moveSubscription) + " DISABLE");
        if (channels.isEmpty()) {
            return List.of();
        }
        long deadline = System.nanoTime() + FENCE_WAIT.toNanos();
        List<String> leftOut = new ArrayList<>();
        for (Channel channel : channels) {
            Set<TableName> tables = new TreeSet<>(channel.tables());
            tables.retainAll(moved);
            Optional<String> reason = onHolder(channel, holder -> copied(holder, channel, tables));
            if (reason.isEmpty()) {
                reason = replayed(channel, sourceSession, position, deadline);
            }
            if (reason.isEmpty()) {
                Set<TableName> missing = new TreeSet<>(tables);
                missing.removeAll(publishedMoved(connection, channel.publication()));
                if (!missing.isEmpty()) {
                    ReplicationSql.executeLocally(connection, "ALTER PUBLICATION " + SqlNames.identifier(channel.publication())
                            + " ADD TABLE " + ReplicationSql.tables(missing));
                }
                reason = onHolder(channel, holder -> {
                    ReplicationSql.executeLocally(holder, refreshWithoutCopy(channel));
                    return Optional.empty();
                });
            }
            reason.ifPresent(why -> leftOut.add(channel.destination().name() + "'s replica of " + tables + " is copied again from "
                    + destination.name() + " after the move: " + why));
        }
        return List.copyOf(leftOut);
    }

    private interface HolderCheck {
        Optional<String> run(Connection holder) throws SQLException;
    }

    /** Runs {@code check} on the channel's replica holder; a holder that fails or cannot be reached is a reason to leave it out. */
    private Optional<String> onHolder(Channel channel, HolderCheck check) {
        try {
            return check.run(connections.apply(channel.destination()));
        } catch (SQLException | RuntimeException failed) {
            return Optional.of("it failed: " + failed.getMessage());
        }
    }

    /** Why the holder's replica is not a complete copy following the source (no subscription from the destination, copy in progress). */
    private Optional<String> copied(Connection holder, Channel channel, Set<TableName> tables) throws SQLException {
        if (!SharedHandover.subscribed(holder, channel.subscription())) {
            return Optional.of("it has no subscription " + channel.subscription());
        }
        String fromSource = fromSource(channel).subscription();
        for (TableName table : tables) {
            String state = SharedHandover.tableState(holder, fromSource, table);
            if (!"r".equals(state)) {
                return Optional.of("its copy of " + table + " from " + source.name() + " is not complete (state " + state + ")");
            }
        }
        return Optional.empty();
    }

    /** Waits until the holder's slot on the source confirmed the fence's {@code position}; a reason once {@code deadline} passed. */
    private Optional<String> replayed(Channel channel, Connection sourceSession, String position, long deadline) throws SQLException {
        while (!SharedHandover.confirmed(sourceSession, fromSource(channel).subscription(), position)) {
            if (System.nanoTime() > deadline) {
                return Optional.of("it had not replayed " + source.name() + " up to the fence (" + position + ") within " + FENCE_WAIT.toSeconds() + " s");
            }
            ReplicationSql.sleep(5);
        }
        return Optional.empty();
    }

    /**
     * Whether every live replica holder of the moved partitions followed the destination from the fence (its subscription
     * from the destination carries them, ready), read on the holders only: then they hold the destination's writes since
     * the cutover (every acknowledged one under sync_replication), also when the destination is gone. False without any.
     */
    public boolean followedByEveryHolder() {
        if (channels.isEmpty()) {
            return false;
        }
        for (Channel channel : channels) {
            Set<TableName> tables = new TreeSet<>(channel.tables());
            tables.retainAll(moved);
            try {
                Connection holder = connections.apply(channel.destination());
                for (TableName table : tables) {
                    if (!"r".equals(SharedHandover.tableState(holder, channel.subscription(), table))) {
                        return false;
                    }
                }
            } catch (SQLException | RuntimeException unreachable) {
                return false;
            }
        }
        return true;
    }

    private static String refreshWithoutCopy(Channel channel) {
        return "ALTER SUBSCRIPTION " + SqlNames.identifier(channel.subscription()) + " REFRESH PUBLICATION WITH (copy_data = false)";
    }

    /** The channel that fed this channel's destination from the source until now. */
    private Channel fromSource(Channel channel) {
        return Channel.forReplicas(source, channel.destination(), List.of());
    }

    /**
     * Read on the destination alone, for a move whose source is lost in phase cutover: true once a fence had the
     * destination caught up with the source's fenced position (the move's subscription is disabled from then until it is
     * dropped; a fence that rolls back enables it again), false when no fence got that far (the cutover cannot have
     * committed), empty without the subscription.
     */
    public Optional<Boolean> fenceReached() throws SQLException {
        return moveSubscriptionEnabled(connections.apply(destination)).map(enabled -> !enabled);
    }

    private Optional<Boolean> moveSubscriptionEnabled(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT subenabled FROM pg_catalog.pg_subscription
                WHERE subname = ? AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())""")) {
            statement.setString(1, moveSubscription);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private Set<TableName> publishedMoved(Connection connection, String publication) throws SQLException {
        Set<TableName> result = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT schemaname, tablename FROM pg_catalog.pg_publication_tables WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TableName table = new TableName(rows.getString(1), rows.getString(2));
                    if (moved.contains(table)) {
                        result.add(table);
                    }
                }
            }
        }
        return result;
    }

    private static long lag(Connection sourceSession, String slot) throws SQLException {
        try (PreparedStatement statement = sourceSession.prepareStatement("""
                SELECT coalesce(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint
                FROM pg_catalog.pg_replication_slots WHERE slot_name = ?""")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }
}
