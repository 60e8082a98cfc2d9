package dev.shardman.applier.monitor;

import dev.shardman.applier.replication.ChannelStatus;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reports a replication channel that stops streaming, or whose lag passes the recorded {@code max_replication_lag_bytes},
 * once when it starts (and once when it streams again), not at every poll. Channels to or from a node that did not answer
 * are left to the node's own event.
 */
final class ReplicationWatch {
    private final Set<String> down = new HashSet<>();
    private final Set<String> lagging = new HashSet<>();

    void report(List<ChannelStatus> channels, Set<String> unreachable, long maxLagBytes, Consumer<MonitorEvent> events) {
        Set<String> seen = new HashSet<>();
        for (ChannelStatus channel : channels) {
            if (unreachable.contains(channel.source()) || unreachable.contains(channel.destination())) {
                continue;
            }
            String name = channel.subscription();
            seen.add(name);
            String pair = channel.source() + " → " + channel.destination();
            Map<String, Object> details = Map.of("source", channel.source(), "destination", channel.destination(), "subscription", name,
                    "state", channel.state(), "lag_bytes", channel.lagBytes().orElse(-1L));
            if (!channel.state().equals("streaming")) {
                if (down.add(name)) {
                    events.accept(MonitorEvent.of(MonitorEvent.Kind.CHANNEL_DOWN, channel.destination(), "replication " + pair + " ("
                            + name + ") is not streaming (walsender " + channel.state() + "): the replicas on " + channel.destination()
                            + " fall behind; drift-check names why", details));
                }
            } else if (down.remove(name)) {
                events.accept(MonitorEvent.of(MonitorEvent.Kind.CHANNEL_UP, channel.destination(), "replication " + pair + " streams again", details));
            }
            long lag = channel.lagBytes().orElse(0L);
            if (lag > maxLagBytes && lagging.add(name)) {
                events.accept(MonitorEvent.of(MonitorEvent.Kind.REPLICATION_LAG, channel.destination(), "replication " + pair + " lags "
                        + lag + " bytes, over max_replication_lag_bytes " + maxLagBytes, details));
            } else if (lag <= maxLagBytes) {
                lagging.remove(name);
            }
        }
        down.retainAll(seen);
        lagging.retainAll(seen);
    }
}
