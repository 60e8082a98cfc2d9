package dev.shardman.applier.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one poll read on one node. An unreachable node has its {@code error} and nothing else.
 *
 * @param latency how long connecting and reading took
 */
public record NodeSample(String node, Optional<String> error, Duration latency, List<Backend> backends,
                         PreparedSummary prepared, List<Slot> slots) {
    /** The node's prepared transactions with a shardman gid: how many, and the age of the oldest (zero when none). */
    public record PreparedSummary(int count, Duration oldestAge, List<String> gids) {
        public static final PreparedSummary NONE = new PreparedSummary(0, Duration.ZERO, List.of());

        public PreparedSummary {
            requireNonNull(oldestAge, "oldestAge is null");
            gids = List.copyOf(gids);
        }
    }

    /** A replication slot of the node's database: whether a consumer is attached and how much WAL it keeps. */
    public record Slot(String name, boolean active, long retainedBytes) {
        public Slot {
            requireNonNull(name, "name is null");
        }
    }

    public NodeSample {
        requireNonNull(node, "node is null");
        requireNonNull(error, "error is null");
        requireNonNull(latency, "latency is null");
        backends = List.copyOf(backends);
        requireNonNull(prepared, "prepared is null");
        slots = List.copyOf(slots);
    }

    static NodeSample unreachable(String node, String error, Duration latency) {
        return new NodeSample(node, Optional.of(error), latency, List.of(), PreparedSummary.NONE, List.of());
    }

    public boolean reachable() {
        return error.isEmpty();
    }
}
