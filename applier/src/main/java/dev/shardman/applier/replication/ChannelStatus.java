package dev.shardman.applier.replication;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The live state of one expected channel, for {@code status}: the walsender's state on the source
 * ({@code streaming}, ..., or {@code down} when none), the lag in bytes (source WAL position minus the
 * replica's replay position, or the slot's confirmed flush when nothing streams) and in seconds
 * (pg_stat_replication.replay_lag), and how many of its tables finished their initial copy.
 * An unreachable node leaves the values it would give empty (a destination that could not be read: no count of ready tables).
 */
public record ChannelStatus(String source, String destination, String subscription, String state, Optional<Long> lagBytes,
                            Optional<Double> lagSeconds, Optional<Integer> tablesReady, int tables) {
    private static final String SENDERS = """
            SELECT r.application_name, r.state, pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), r.replay_lsn)::bigint,
                   extract(epoch FROM r.replay_lag)::float8
            FROM pg_catalog.pg_stat_replication r WHERE r.application_name LIKE 'shardman\\_%'""";
    private static final String SLOTS = """
            SELECT slot_name, pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
            FROM pg_catalog.pg_replication_slots WHERE slot_name LIKE 'shardman\\_%' AND database = current_database()""";

    public ChannelStatus {
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
        requireNonNull(subscription, "subscription is null");
        requireNonNull(state, "state is null");
        requireNonNull(lagBytes, "lagBytes is null");
        requireNonNull(lagSeconds, "lagSeconds is null");
        requireNonNull(tablesReady, "tablesReady is null");
    }

    /** Every expected channel of {@code state}; {@code connections} may throw for an unreachable node. */
    public static List<ChannelStatus> read(ClusterState state, Function<NodeState, Connection> connections) {
        ReplicationInspector inspector = new ReplicationInspector();
        Map<String, Map<String, Object[]>> senders = new HashMap<>();
        Map<String, Optional<ObservedReplication>> destinations = new HashMap<>();
        List<ChannelStatus> result = new ArrayList<>();
        for (Channel channel : ExpectedChannels.of(state)) {
            Map<String, Object[]> bySubscription = senders.computeIfAbsent(channel.source().name(), name -> senders(connections, channel.source()));
            Object[] sender = bySubscription.get(channel.subscription());
            // each destination read once (every channel into it is in the one inspection); an unreachable one: unknown, not 0
            Optional<ObservedReplication> destination = destinations.computeIfAbsent(channel.destination().name(),
                    name -> observed(inspector, connections, channel.destination()));
            Optional<Integer> ready = destination.map(observed -> Optional.ofNullable(observed.subscriptions().get(channel.subscription()))
                    .map(subscription -> (int) channel.tables().stream().filter(table -> "r".equals(subscription.tableStates().get(table))).count())
                    .orElse(0));
            String walsender = sender == null ? "down" : String.valueOf(sender[0]);
            result.add(new ChannelStatus(channel.source().name(), channel.destination().name(), channel.subscription(),
                    walsender, sender == null ? Optional.empty() : Optional.ofNullable((Long) sender[1]),
                    sender == null ? Optional.empty() : Optional.ofNullable((Double) sender[2]), ready, channel.tables().size()));
        }
        return List.copyOf(result);
    }

    private static Optional<ObservedReplication> observed(ReplicationInspector inspector, Function<NodeState, Connection> connections,
                                                          NodeState node) {
        try {
            return Optional.of(inspector.inspect(connections.apply(node), node.name()));
        } catch (SQLException | RuntimeException unreachable) {
            return Optional.empty();
        }
    }

    /** subscription → {state, lag bytes, lag seconds} of the source's walsenders, slots filling in the lag of those not streaming. */
    private static Map<String, Object[]> senders(Function<NodeState, Connection> connections, NodeState source) {
        Map<String, Object[]> result = new HashMap<>();
        try {
            Connection connection = connections.apply(source);
            try (PreparedStatement statement = connection.prepareStatement(SENDERS); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long bytes = rows.getLong(3);
                    Long lag = rows.wasNull() ? null : bytes;
                    double seconds = rows.getDouble(4);
                    result.put(rows.getString(1), new Object[] {rows.getString(2), lag, rows.wasNull() ? 0.0 : seconds});
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(SLOTS); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long bytes = rows.getLong(2);
                    result.putIfAbsent(rows.getString(1), new Object[] {"not streaming", rows.wasNull() ? null : bytes, null});
                }
            }
        } catch (SQLException | RuntimeException unreachable) {
            // the source is down: every channel from it shows "down"
        }
        return result;
    }

    public String describe() {
        return source + " → " + destination + " (" + subscription + "): " + state
                + lagBytes.map(bytes -> ", lag " + bytes + " bytes").orElse("")
                + lagSeconds.map(seconds -> String.format(java.util.Locale.ROOT, " / %.3f s", seconds)).orElse("")
                + tablesReady.map(ready -> ", initial sync " + ready + "/" + tables + " tables ready")
                        .orElse(", initial sync unknown (" + destination + " could not be read), " + tables + " tables");
    }
}
