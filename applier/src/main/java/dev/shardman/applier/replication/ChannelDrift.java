package dev.shardman.applier.replication;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.applier.objects.CatalogReads;
import dev.shardman.applier.objects.DriftCode;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
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

    /**
     * What is read of one node, in one round trip: its channels, the lag of its {@code shardman_} slots (null when
     * unknown), its synchronous_standby_names and the application names of the standbys streaming from it.
     */
    public record NodeChannels(ObservedReplication observed, Map<String, Long> slotLag, String synchronousStandbyNames, List<String> streaming) {
        public NodeChannels {
            requireNonNull(observed, "observed is null");
            slotLag = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(slotLag));
            requireNonNull(synchronousStandbyNames, "synchronousStandbyNames is null");
            streaming = List.copyOf(streaming);
        }
    }

    private static final String STREAMING = "SELECT application_name FROM pg_catalog.pg_stat_replication WHERE state = 'streaming'";
    private static final String LAG = """
            SELECT slot_name, pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
            FROM pg_catalog.pg_replication_slots WHERE slot_name LIKE 'shardman\\_%' AND database = current_database()""";

    private final Function<NodeState, Connection> connections;
    private final Optional<ConninfoSecrets> secrets;

    /** Subscriptions' connections are not compared (no secrets to resolve the expected ones). */
    public ChannelDrift(Function<NodeState, Connection> connections) {
        this.connections = requireNonNull(connections, "connections is null");
        this.secrets = Optional.empty();
    }

    /** For {@link #findings} only, over reads made elsewhere: it opens no connection. */
    public static ChannelDrift evaluating(ConninfoSecrets secrets) {
        return new ChannelDrift(node -> {
            throw new IllegalStateException("reads only what it is given: " + node.name());
        }, secrets);
    }

    /** A subscription whose conninfo is not the one its source's resolves to with {@code secrets} is reported stale. */
    public ChannelDrift(Function<NodeState, Connection> connections, ConninfoSecrets secrets) {
        this.connections = requireNonNull(connections, "connections is null");
        this.secrets = Optional.of(requireNonNull(secrets, "secrets is null"));
    }

    /** Findings on {@code nodes} (the reachable live ones), sorted by node; each node is read in one round trip. */
    public List<Finding> check(ClusterState state, Collection<NodeState> nodes, long maxLagBytes, boolean synchronous) throws SQLException {
        Map<String, NodeChannels> read = new java.util.TreeMap<>();
        for (NodeState node : ChannelReconciler.live(nodes)) {
            CatalogReads reads = new CatalogReads(connections.apply(node));
            read(reads, node.name(), channels -> read.put(node.name(), channels));
            reads.run();
        }
        return findings(state, nodes, read, maxLagBytes, synchronous);
    }

    /** Adds the reads of one node to {@code reads} (one round trip with other reads); {@code result} gets them when they run. */
    public static void read(CatalogReads reads, String node, Consumer<NodeChannels> result) {
        List<ObservedReplication> observed = new ArrayList<>();
        Map<String, Long> lag = new HashMap<>();
        List<String> standbyNames = new ArrayList<>();
        new ReplicationInspector().read(reads, node, observed::add);
        reads.add(LAG, List.of(), rows -> {
            while (rows.next()) {
                long bytes = rows.getLong(2);
                lag.put(rows.getString(1), rows.wasNull() ? null : bytes);
            }
        });
        reads.add(SynchronousStandbys.CURRENT, List.of(), rows -> {
            rows.next();
            standbyNames.add(rows.getString(1));
        });
        reads.add(STREAMING, List.of(), rows -> {
            List<String> streaming = new ArrayList<>();
            while (rows.next()) {
                streaming.add(rows.getString(1));
            }
            result.accept(new NodeChannels(observed.get(0), lag, standbyNames.get(0), streaming));
        });
    }

    /** Findings on {@code nodes} (the reachable live ones) from what was {@code read} of them, sorted by node. */
    public List<Finding> findings(ClusterState state, Collection<NodeState> nodes, Map<String, NodeChannels> read, long maxLagBytes,
            boolean synchronous) {
        List<Channel> channels = ExpectedChannels.of(state);
        Map<String, ObservedReplication> observed = new java.util.TreeMap<>();
        ChannelReconciler.live(nodes).forEach(node -> observed.put(node.name(), read.get(node.name()).observed()));
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
            findings.addAll(lag(node, read.get(node.name()), maxLagBytes));
            findings.addAll(synchronousStandbys(node, read.get(node.name()), channels, observed, synchronous));
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
        return secrets.map(known -> !SecretDigest.of(channel.subscriptionConninfo(known)).equals(subscription.conninfoDigest()))
                .orElse(false);
    }

    /** A hand-made synchronous_standby_names, a shardman one left behind, or a synchronous replica not streaming (commits hang). */
    private static List<Finding> synchronousStandbys(NodeState node, NodeChannels read, List<Channel> channels, Map<String, ObservedReplication> observed,
            boolean synchronous) {
        String current = read.synchronousStandbyNames();
        Optional<String> wanted = synchronous ? SynchronousStandbys.wanted(channels, node, observed, current) : Optional.empty();
        String object = "setting synchronous_standby_names";
        if (wanted.isPresent() && !wanted.get().equals(current)) {
            return List.of(new Finding(node.name(), object, DriftCode.DIFFERS, "is '" + current + "', expected '" + wanted.get() + "' (sync_replication: true)"));
        }
        if (wanted.isEmpty() && SynchronousStandbys.isShardmanOwned(current)) {
            return List.of(new Finding(node.name(), object, DriftCode.DIFFERS, "is '" + current + "', expected unset (no synchronous shardman replica)"));
        }
        List<String> required = wanted.isPresent() ? SynchronousStandbys.wantedNames(channels, node, observed, current) : List.of();
        long streaming = read.streaming().stream().filter(required::contains).count();
        if (streaming < required.size()) {
            return List.of(new Finding(node.name(), object, DriftCode.REPLICAS_NOT_STREAMING, (required.size() - streaming) + " of the " + required.size() + " synchronous replicas of "
                    + node.name() + " are not streaming: commits on " + node.name()
                    + " wait until they are back or marked lost (statement_timeout does not end the wait)"));
        }
        return List.of();
    }

    private static List<Finding> lag(NodeState node, NodeChannels read, long maxLagBytes) {
        List<Finding> findings = new ArrayList<>();
        read.slotLag().forEach((slot, lag) -> {
            if (lag != null && lag > maxLagBytes) {
                findings.add(new Finding(node.name(), "replication slot " + slot, DriftCode.REPLICATION_LAG,
                        "lag " + lag + " bytes is above max_replication_lag_bytes " + maxLagBytes));
            }
        });
        return findings;
    }
}
