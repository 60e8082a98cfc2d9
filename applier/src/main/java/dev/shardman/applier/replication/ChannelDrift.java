package dev.shardman.applier.replication;

import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.applier.objects.DriftCode;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Read-only: the replication channels a state needs vs what the nodes have. Reports a missing
 * publication or one missing tables, a missing or disabled subscription, a shardman subscription or
 * publication nobody needs, a subscription with a stale conninfo (compared by salted digest), an
 * orphaned (inactive, unexplained) {@code shardman_} slot, and a slot
 * whose lag (source WAL position minus confirmed flush) exceeds {@code maxLagBytes}.
 */
public final class ChannelDrift {
    /** One finding, in drift-check's words: {@code object} like {@code subscription shardman_sub_1_2}. */
    public record Finding(String node, String object, DriftCode code, String problem) {
        public Finding {
            requireNonNull(node, "node is null");
            requireNonNull(object, "object is null");
            requireNonNull(code, "code is null");
            requireNonNull(problem, "problem is null");
        }
    }

    private static final String LAG = """
            SELECT slot_name, pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
            FROM pg_catalog.pg_replication_slots WHERE slot_name LIKE 'shardman\\_%' AND database = current_database()""";

    private final Function<NodeState, Connection> connections;
    private final Optional<Map<String, String>> environment;
    private final ReplicationInspector inspector = new ReplicationInspector();

    /** Subscriptions' connections are not compared (no environment to resolve the expected ones). */
    public ChannelDrift(Function<NodeState, Connection> connections) {
        this.connections = requireNonNull(connections, "connections is null");
        this.environment = Optional.empty();
    }

    /** A subscription whose conninfo is not the one its source's resolves to in {@code environment} is reported stale. */
    public ChannelDrift(Function<NodeState, Connection> connections, Map<String, String> environment) {
        this.connections = requireNonNull(connections, "connections is null");
        this.environment = Optional.of(Map.copyOf(environment));
    }

    /** Findings on {@code nodes} (the reachable live ones), sorted by node. */
    public List<Finding> check(ClusterState state, Collection<NodeState> nodes, long maxLagBytes, boolean synchronous) throws SQLException {
        List<Channel> channels = ExpectedChannels.of(state);
        Map<String, ObservedReplication> observed = new java.util.TreeMap<>();
        for (NodeState node : ChannelReconciler.live(nodes)) {
            observed.put(node.name(), inspector.inspect(connections.apply(node), node.name()));
        }
        List<Finding> findings = new ArrayList<>();
        for (Channel channel : channels) {
            Optional.ofNullable(observed.get(channel.source().name())).flatMap(source -> publication(channel, source)).ifPresent(findings::add);
            Optional.ofNullable(observed.get(channel.destination().name())).flatMap(destination -> subscription(channel, destination))
                    .ifPresent(findings::add);
        }
        // a disabled subscription from a lost node with unpromoted partitions is its fence, not drift
        Set<String> fenced = ExpectedChannels.fenced(state);
        observed.forEach((node, replication) -> findings.addAll(unexpected(node, replication, channels, fenced)));
        for (NodeState node : ChannelReconciler.live(nodes)) {
            findings.addAll(lag(node, maxLagBytes));
            findings.addAll(synchronousStandbys(node, channels, observed, synchronous));
        }
        findings.sort(java.util.Comparator.comparing(Finding::node).thenComparing(Finding::object));
        return List.copyOf(findings);
    }

    /** The channel's publication on its source: missing, or missing some of the channel's tables. */
    private static Optional<Finding> publication(Channel channel, ObservedReplication source) {
        String object = "publication " + channel.publication();
        ObservedReplication.Publication publication = source.publications().get(channel.publication());
        if (publication == null) {
            return Optional.of(new Finding(channel.source().name(), object, DriftCode.MISSING, "publication for " + channel.describe() + " is missing"));
        }
        Set<TableName> missing = new TreeSet<>(channel.tables());
        missing.removeAll(publication.tables());
        return missing.isEmpty() ? Optional.empty()
                : Optional.of(new Finding(channel.source().name(), object, DriftCode.DIFFERS, "publication is missing " + missing));
    }

    /** The channel's subscription on its destination: missing, disabled, or connecting with a stale conninfo. */
    private Optional<Finding> subscription(Channel channel, ObservedReplication destination) {
        String node = channel.destination().name();
        String object = "subscription " + channel.subscription();
        ObservedReplication.Subscription subscription = destination.subscriptions().get(channel.subscription());
        if (subscription == null) {
            return Optional.of(new Finding(node, object, DriftCode.MISSING, "subscription for " + channel.describe() + " is missing"));
        }
        if (!subscription.enabled()) {
            return Optional.of(new Finding(node, object, DriftCode.DISABLED, "subscription is disabled"));
        }
        if (staleConnection(channel, subscription)) {
            return Optional.of(new Finding(node, object, DriftCode.STALE_CONNECTION, "subscription for " + channel.describe()
                    + " connects with a stale conninfo (host, port, TLS settings or password of " + channel.source().name()
                    + " changed): recover or apply re-writes its connection"));
        }
        return Optional.empty();
    }

    /** shardman publications and subscriptions on {@code node} that no channel calls for, and its orphaned slots. */
    private static List<Finding> unexpected(String node, ObservedReplication replication, List<Channel> channels, Set<String> fenced) {
        List<Finding> findings = new ArrayList<>();
        Set<String> publications = new HashSet<>();
        Set<String> subscriptions = new HashSet<>();
        Set<String> ownSlots = new HashSet<>();
        for (Channel channel : channels) {
            if (channel.source().name().equals(node)) {
                publications.add(channel.publication());
                ownSlots.add(channel.subscription());
            }
            if (channel.destination().name().equals(node)) {
                subscriptions.add(channel.subscription());
            }
        }
        replication.publications().keySet().stream().sorted().filter(name -> !publications.contains(name))
                .forEach(name -> findings.add(new Finding(node, "publication " + name, DriftCode.UNEXPECTED, "publication is not expected")));
        replication.subscriptions().values().stream().filter(subscription -> !subscriptions.contains(subscription.name()))
                .filter(subscription -> !(fenced.contains(node + "/" + subscription.name()) && !subscription.enabled()))
                .map(ObservedReplication.Subscription::name).sorted()
                .forEach(name -> findings.add(new Finding(node, "subscription " + name, DriftCode.UNEXPECTED, "subscription is not expected")));
        replication.slots().values().stream().filter(slot -> !ownSlots.contains(slot.name()) && !slot.active())
                .map(ObservedReplication.Slot::name).sorted()
                .forEach(name -> findings.add(new Finding(node, "replication slot " + name, DriftCode.UNEXPECTED,
                        "orphaned replication slot (no subscription uses it)")));
        return findings;
    }

    private boolean staleConnection(Channel channel, ObservedReplication.Subscription subscription) {
        return environment.map(values -> !SecretDigest.of(channel.subscriptionConninfo(values)).equals(subscription.conninfoDigest()))
                .orElse(false);
    }

    /** A hand-made synchronous_standby_names, a shardman one left behind, or a synchronous replica not streaming (commits hang). */
    private List<Finding> synchronousStandbys(NodeState node, List<Channel> channels, Map<String, ObservedReplication> observed, boolean synchronous)
            throws SQLException {
        Connection connection = connections.apply(node);
        String current = SynchronousStandbys.current(connection);
        Optional<String> wanted = synchronous ? SynchronousStandbys.wanted(channels, node, observed, current) : Optional.empty();
        String object = "setting synchronous_standby_names";
        if (wanted.isPresent() && !wanted.get().equals(current)) {
            return List.of(new Finding(node.name(), object, DriftCode.DIFFERS, "is '" + current + "', expected '" + wanted.get() + "' (sync_replication: true)"));
        }
        if (wanted.isEmpty() && SynchronousStandbys.isShardmanOwned(current)) {
            return List.of(new Finding(node.name(), object, DriftCode.DIFFERS, "is '" + current + "', expected unset (no synchronous shardman replica)"));
        }
        List<String> required = wanted.isPresent() ? SynchronousStandbys.wantedNames(channels, node, observed, current) : List.of();
        long streaming = required.isEmpty() ? 0 : streamingStandbys(connection, required);
        if (streaming < required.size()) {
            return List.of(new Finding(node.name(), object, DriftCode.REPLICAS_NOT_STREAMING, (required.size() - streaming) + " of the " + required.size() + " synchronous replicas of "
                    + node.name() + " are not streaming: commits on " + node.name()
                    + " wait until they are back or marked lost (statement_timeout does not end the wait)"));
        }
        return List.of();
    }

    private static long streamingStandbys(Connection connection, List<String> standbys) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT count(*) FROM pg_catalog.pg_stat_replication
                WHERE state = 'streaming' AND application_name = ANY (?)""")) {
            statement.setArray(1, connection.createArrayOf("text", standbys.toArray()));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private List<Finding> lag(NodeState node, long maxLagBytes) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (PreparedStatement statement = connections.apply(node).prepareStatement(LAG); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                long lag = rows.getLong(2);
                if (!rows.wasNull() && lag > maxLagBytes) {
                    findings.add(new Finding(node.name(), "replication slot " + rows.getString(1), DriftCode.REPLICATION_LAG,
                            "lag " + lag + " bytes is above max_replication_lag_bytes " + maxLagBytes));
                }
            }
        }
        return findings;
    }
}
