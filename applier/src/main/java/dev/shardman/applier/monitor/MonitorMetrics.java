package dev.shardman.applier.monitor;

import dev.shardman.applier.objects.DriftCode;
import dev.shardman.applier.replication.ChannelStatus;

import java.util.Map;
import java.util.Optional;

/**
 * The figures {@code /metrics} serves: those of the last poll (gauges) and totals since the monitor started
 * (counters). Thread-safe: the poll loop records, the HTTP server's thread renders.
 */
public final class MonitorMetrics {
    private Optional<PollResult> last = Optional.empty();
    private long polls;
    private long deadlocksDetected;
    private long deadlocksResolved;
    private long failovers;
    private boolean active;
    private Optional<Map<DriftCode, Long>> driftObjects = Optional.empty();

    public synchronized void record(PollResult poll) {
        last = poll.active() ? Optional.of(poll) : Optional.empty();
        active = poll.active();
        polls++;
        deadlocksDetected += poll.deadlocksDetected();
        deadlocksResolved += poll.deadlocksResolved();
        failovers += poll.events().stream().filter(event -> event.kind() == MonitorEvent.Kind.NODE_FAILED_OVER).count();
    }

    /** The objects the last drift-check found out of place, by kind (counted every few polls). */
    public synchronized void driftObjects(Map<DriftCode, Long> byCode) {
        driftObjects = Optional.of(Map.copyOf(byCode));
    }

    public synchronized String render() {
        PrometheusText text = new PrometheusText();
        text.family("shardman_monitor_active", "gauge", "1 when this monitor holds the lease and acts, 0 on a standby.")
                .sample("shardman_monitor_active", active ? 1 : 0);
        text.family("shardman_polls_total", "counter", "Polls done since the monitor started.").sample("shardman_polls_total", polls);
        text.family("shardman_deadlocks_detected_total", "counter", "Global deadlocks confirmed (a cross-node wait cycle seen in two consecutive polls).")
                .sample("shardman_deadlocks_detected_total", deadlocksDetected);
        text.family("shardman_deadlocks_resolved_total", "counter", "Global deadlocks broken by cancelling one backend.")
                .sample("shardman_deadlocks_resolved_total", deadlocksResolved);
        text.family("shardman_failovers_total", "counter", "Nodes this monitor failed over automatically (settings.failover).")
                .sample("shardman_failovers_total", failovers);
        // every code, 0 included, so that an alert on one kind has a series before the first finding of that kind
        driftObjects.ifPresent(byCode -> {
            text.family("shardman_drift_objects", "gauge", "Objects out of place at the last drift-check, by kind of finding (code).");
            for (DriftCode code : DriftCode.values()) {
                text.sample("shardman_drift_objects", Map.of("code", code.code()), byCode.getOrDefault(code, 0L));
            }
        });
        last.ifPresent(poll -> new PollFigures(poll).write(text));
        return text.toString();
    }

    /** The gauges of one poll. */
    private record PollFigures(PollResult poll) {
        void write(PrometheusText text) {
            text.family("shardman_poll_duration_seconds", "gauge", "How long the last poll took.")
                    .sample("shardman_poll_duration_seconds", poll.duration().toNanos() / 1e9);
            text.family("shardman_last_poll_timestamp_seconds", "gauge", "When the last poll started (Unix time).")
                    .sample("shardman_last_poll_timestamp_seconds", poll.time().getEpochSecond());
            text.family("shardman_shardlord_up", "gauge", "1 when the shardlord answered the last poll.")
                    .sample("shardman_shardlord_up", poll.shardlord().isPresent() ? 1 : 0);
            nodes(text);
            channels(text);
            slots(text);
            poll.shardlord().ifPresent(view -> shardlord(text, view));
        }

        private void nodes(PrometheusText text) {
            text.family("shardman_node_up", "gauge", "1 when the node answered the last poll, 0 when it did not.");
            poll.nodes().forEach(node -> text.sample("shardman_node_up", Map.of("node", node.node()), node.reachable() ? 1 : 0));
            text.family("shardman_node_poll_latency_seconds", "gauge", "Connecting to the node and reading it in the last poll.");
            poll.nodes().forEach(node -> text.sample("shardman_node_poll_latency_seconds", Map.of("node", node.node()), node.latency().toNanos() / 1e9));
            text.family("shardman_prepared_transactions", "gauge", "Prepared transactions with a shardman gid on the node.");
            poll.nodes().stream().filter(NodeSample::reachable)
                    .forEach(node -> text.sample("shardman_prepared_transactions", Map.of("node", node.node()), node.prepared().count()));
            text.family("shardman_prepared_transaction_oldest_age_seconds", "gauge", "Age of the node's oldest shardman prepared transaction (0 when none).");
            poll.nodes().stream().filter(NodeSample::reachable).forEach(node -> text.sample("shardman_prepared_transaction_oldest_age_seconds",
                    Map.of("node", node.node()), node.prepared().oldestAge().toMillis() / 1e3));
        }

        private void channels(PrometheusText text) {
            text.family("shardman_replication_channel_streaming", "gauge", "1 when the channel's walsender streams, 0 otherwise.");
            poll.channels().forEach(channel -> text.sample("shardman_replication_channel_streaming", labels(channel),
                    channel.state().equals("streaming") ? 1 : 0));
            text.family("shardman_replication_lag_bytes", "gauge", "WAL the channel's subscriber has not replayed (or its slot not confirmed).");
            poll.channels().forEach(channel -> channel.lagBytes().ifPresent(bytes -> text.sample("shardman_replication_lag_bytes", labels(channel), bytes)));
            text.family("shardman_replication_lag_seconds", "gauge", "The subscriber's replay lag (pg_stat_replication.replay_lag; absent when idle).");
            poll.channels().forEach(channel -> channel.lagSeconds().ifPresent(seconds -> text.sample("shardman_replication_lag_seconds", labels(channel), seconds)));
        }

        private static Map<String, String> labels(ChannelStatus channel) {
            return Map.of("source", channel.source(), "destination", channel.destination(), "subscription", channel.subscription());
        }

        private void slots(PrometheusText text) {
            text.family("shardman_replication_slot_inactive", "gauge", "1 when no consumer is attached to the slot.");
            poll.nodes().forEach(node -> node.slots().forEach(slot -> text.sample("shardman_replication_slot_inactive",
                    Map.of("node", node.node(), "slot", slot.name()), slot.active() ? 0 : 1)));
            text.family("shardman_replication_slot_retained_wal_bytes", "gauge", "WAL the slot keeps on its node (current LSN minus restart_lsn).");
            poll.nodes().forEach(node -> node.slots().forEach(slot -> text.sample("shardman_replication_slot_retained_wal_bytes",
                    Map.of("node", node.node(), "slot", slot.name()), slot.retainedBytes())));
        }

        private static void shardlord(PrometheusText text, ShardlordView view) {
            text.family("shardman_cluster_serial", "gauge", "The metadata serial (grows with every committed change).")
                    .sample("shardman_cluster_serial", view.state().serial());
            text.family("shardman_moves_in_progress", "gauge", "Partition moves recorded in the metadata and not finished.")
                    .sample("shardman_moves_in_progress", view.movesInFlight());
            view.lastApply().ifPresent(apply -> {
                text.family("shardman_last_apply_success", "gauge", "1 when the last plan run in the journal had no failed step.")
                        .sample("shardman_last_apply_success", apply.succeeded() ? 1 : 0);
                text.family("shardman_last_apply_timestamp_seconds", "gauge", "When the last plan run ended, or started if it runs (Unix time).")
                        .sample("shardman_last_apply_timestamp_seconds", apply.time().getEpochSecond());
            });
        }
    }
}
