package dev.shardman.applier.monitor;

import dev.shardman.applier.replication.ChannelStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicationWatchTest {
    private final ReplicationWatch watch = new ReplicationWatch();
    private final List<MonitorEvent> events = new ArrayList<>();

    @Test
    void aChannelThatStopsStreamingIsReportedOnceAndAgainWhenItStreams() {
        poll(channel("streaming", 0));
        poll(channel("down", 0));
        poll(channel("down", 0));
        poll(channel("streaming", 0));
        assertEquals(List.of(MonitorEvent.Kind.CHANNEL_DOWN, MonitorEvent.Kind.CHANNEL_UP), kinds());
        assertEquals("replication w1 → w2 (shardman_sub_1_2) is not streaming (walsender down): the replicas on w2 fall behind;"
                + " drift-check names why", events.get(0).message());
    }

    @Test
    void lagOverTheRecordedBoundIsReportedOncePerEpisode() {
        poll(channel("streaming", 2_000));
        poll(channel("streaming", 3_000));
        poll(channel("streaming", 10));
        poll(channel("streaming", 2_000));
        assertEquals(List.of(MonitorEvent.Kind.REPLICATION_LAG, MonitorEvent.Kind.REPLICATION_LAG), kinds());
    }

    @Test
    void aChannelOfAnUnreachableNodeIsLeftToTheNodesOwnEvent() {
        watch.report(List.of(channel("down", 5_000)), Set.of("w1"), 1_000, events::add);
        assertEquals(List.of(), kinds());
    }

    private void poll(ChannelStatus channel) {
        watch.report(List.of(channel), Set.of(), 1_000, events::add);
    }

    private List<MonitorEvent.Kind> kinds() {
        return events.stream().map(MonitorEvent::kind).toList();
    }

    private static ChannelStatus channel(String state, long lagBytes) {
        return new ChannelStatus("w1", "w2", "shardman_sub_1_2", state, Optional.of(lagBytes), Optional.empty(), Optional.of(1), 1);
    }
}
