package dev.shardman.applier.monitor;

import dev.shardman.applier.replication.ChannelStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One poll: when, how long it took, what the shardlord and each node said, the replication channels, the events it
 * raised, and the deadlocks it confirmed and cancelled. {@code shardlord} is empty when the shardlord did not answer
 * (the nodes polled are then the last known ones). A standby ({@code active} false) polls no node: it only tried
 * for the lease.
 */
public record PollResult(Instant time, Duration duration, boolean active, Optional<ShardlordView> shardlord, List<NodeSample> nodes,
                         List<ChannelStatus> channels, List<MonitorEvent> events, int deadlocksDetected, int deadlocksResolved) {
    public PollResult {
        requireNonNull(time, "time is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(shardlord, "shardlord is null");
        nodes = List.copyOf(nodes);
        channels = List.copyOf(channels);
        events = List.copyOf(events);
    }

    /** Whether nothing this poll reported needs a person (every event is of a healthy kind). */
    public boolean healthy() {
        return events.stream().allMatch(event -> event.kind().healthy());
    }
}
