package dev.shardman.applier.replication;

import dev.shardman.applier.objects.DriftCode;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Read-only: whether each enabled subscription of a channel between two reachable nodes has an apply worker streaming
 * from its publisher. The worker of a subscription that cannot connect (refused, authentication, TLS) or whose apply
 * fails exits at once and is restarted by the launcher every {@code wal_retrieve_retry_interval}, so it is absent
 * from {@code pg_stat_subscription} most of the time; one whose publisher accepts and never answers is present but
 * has received nothing ({@code received_lsn} is null; a healthy worker has it within milliseconds of starting). The
 * libpq or apply error itself is only in the subscriber's server log. One sample is taken; only the subscriptions
 * without a streaming worker in it are watched for {@code window} and reported when it streamed in at most half the
 * samples, or when {@code pg_stat_subscription_stats}' error counts grew (apply errors count there, connection
 * failures do not). A healthy cluster costs one query per node.
 */
public final class SubscriptionWorkerProbe {
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);
    private static final String WORKERS = """
            SELECT s.subname,
                   (SELECT bool_or(w.received_lsn IS NOT NULL) FROM pg_catalog.pg_stat_subscription w
                    WHERE w.subid = s.oid AND w.relid IS NULL AND w.pid IS NOT NULL),
                   coalesce((SELECT st.apply_error_count + st.sync_error_count FROM pg_catalog.pg_stat_subscription_stats st
                             WHERE st.subid = s.oid), 0)
            FROM pg_catalog.pg_subscription s
            WHERE s.subenabled AND s.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())""";

    /** A subscription's apply worker at one moment. */
    private enum Worker { ABSENT, CONNECTING, STREAMING }

    /** One subscription's worker at one moment; {@code errors} counts apply and table sync errors since the stats reset. */
    private record Sample(Worker worker, long errors) {
    }

    /** A watched subscription: how often its worker was absent or connecting, and its error count when first seen. */
    private static final class Watch {
        private final Channel channel;
        private final long firstErrors;
        private long lastErrors;
        private int samples;
        private int absent;
        private int connecting;

        Watch(Channel channel, Sample first) {
            this.channel = channel;
            this.firstErrors = first.errors();
            this.lastErrors = first.errors();
        }

        void record(Sample sample) {
            samples++;
            absent += sample.worker() == Worker.ABSENT ? 1 : 0;
            connecting += sample.worker() == Worker.CONNECTING ? 1 : 0;
            lastErrors = sample.errors();
        }
    }

    private final Function<NodeState, Connection> connections;
    private final Duration window;

    public SubscriptionWorkerProbe(Function<NodeState, Connection> connections, Duration window) {
        this.connections = requireNonNull(connections, "connections is null");
        this.window = requireNonNull(window, "window is null");
    }

    /** Findings for the channels whose source and destination are both in {@code reachable}, in channel order. */
    public List<ChannelDrift.Finding> check(List<Channel> channels, Collection<NodeState> reachable) throws SQLException {
        Set<String> names = reachable.stream().map(NodeState::name).collect(Collectors.toSet());
        List<Channel> probed = channels.stream()
                .filter(channel -> names.contains(channel.source().name()) && names.contains(channel.destination().name())).toList();
        List<Watch> watched = new ArrayList<>();
        Map<String, Map<String, Sample>> first = sample(probed);
        for (Channel channel : probed) {
            Sample sample = first.get(channel.destination().name()).get(channel.subscription());
            if (sample != null && sample.worker() != Worker.STREAMING) {
                watched.add(new Watch(channel, sample));
            }
        }
        if (watched.isEmpty()) {
            return List.of();
        }
        watch(watched);
        List<ChannelDrift.Finding> findings = new ArrayList<>();
        for (Watch watch : watched) {
            if ((watch.absent + watch.connecting) * 2 > watch.samples || watch.lastErrors > watch.firstErrors) {
                findings.add(finding(watch));
            }
        }
        return List.copyOf(findings);
    }

    private void watch(List<Watch> watched) throws SQLException {
        List<Channel> channels = watched.stream().map(watch -> watch.channel).toList();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(SAMPLE_INTERVAL.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            Map<String, Map<String, Sample>> samples = sample(channels);
            for (Watch watch : watched) {
                Sample sample = samples.get(watch.channel.destination().name()).get(watch.channel.subscription());
                watch.record(sample == null ? new Sample(Worker.STREAMING, watch.lastErrors) : sample);
            }
        }
    }

    private ChannelDrift.Finding finding(Watch watch) {
        Channel channel = watch.channel;
        String source = channel.source().name();
        String destination = channel.destination().name();
        long failures = watch.lastErrors - watch.firstErrors;
        String over = " samples over " + window.toSeconds() + " s" + (failures > 0 ? " and failed " + failures + " times" : "");
        String problem = watch.connecting > watch.absent
                ? source + " → " + destination + ": the apply worker was connecting to " + source + " without an answer in "
                        + watch.connecting + " of " + watch.samples + over + ": " + source + " or the network between them hangs"
                        + " (the subscription's host and port, or a busy " + source + ")"
                : source + " → " + destination + ": the apply worker was not running in " + watch.absent + " of " + watch.samples + over
                        + ": it cannot connect to " + source + " (the libpq error is in " + destination + "'s server log)"
                        + ", its apply fails, or " + destination + " has no free logical replication worker";
        return new ChannelDrift.Finding(destination, "subscription " + channel.subscription(), DriftCode.WORKER_NOT_RUNNING, problem);
    }

    /** Per destination node, its enabled subscriptions' workers now. */
    private Map<String, Map<String, Sample>> sample(List<Channel> channels) throws SQLException {
        Map<String, Map<String, Sample>> result = new HashMap<>();
        for (Channel channel : channels) {
            NodeState node = channel.destination();
            if (!result.containsKey(node.name())) {
                result.put(node.name(), workers(connections.apply(node)));
            }
        }
        return result;
    }

    private static Map<String, Sample> workers(Connection connection) throws SQLException {
        Map<String, Sample> result = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(WORKERS); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                boolean streaming = rows.getBoolean(2);
                Worker worker = rows.wasNull() ? Worker.ABSENT : streaming ? Worker.STREAMING : Worker.CONNECTING;
                result.put(rows.getString(1), new Sample(worker, rows.getLong(3)));
            }
        }
        if (!connection.getAutoCommit()) {
            connection.rollback(); // a new snapshot of the cumulative statistics at the next sample
        }
        return result;
    }
}
