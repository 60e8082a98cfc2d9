package dev.shardman.applier.execute;

import dev.shardman.applier.replication.Channel;
import dev.shardman.applier.replication.ExpectedChannels;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.Step;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * What a plan's replication needs on one node, an upper bound: every channel before or after the plan at once, the
 * one data move that runs at a time, and the initial copies. One sync worker per copy is required; parallel sync
 * workers ({@code full*}) are advised (docs/internals/replication.md, "Channel demand").
 *
 * @param slots required replication slots on this node as a source
 * @param walSenders required WAL senders on this node as a source (one per slot in use)
 * @param logicalWorkers required apply and table sync workers on this node as a destination
 * @param fullSlots slots (and WAL senders) with every initial copy at full parallelism
 * @param fullLogicalWorkers logical replication workers with every initial copy at full parallelism
 * @param asSource what the source figures count, for a refusal
 * @param asDestination what the destination figures count, for a refusal
 */
record ChannelDemand(int slots, int walSenders, int logicalWorkers, int fullSlots, int fullLogicalWorkers, String asSource,
                     String asDestination) {
    static final ChannelDemand NONE = new ChannelDemand(0, 0, 0, 0, 0, "no channels", "no channels");

    /** Background workers: the logical ones plus the logical replication launcher. */
    int workerProcesses() {
        return logicalWorkers + 1;
    }

    int fullWorkerProcesses() {
        return fullLogicalWorkers + 1;
    }

    /** Per node name; {@code syncWorkers} gives a destination's max_sync_workers_per_subscription. */
    static Map<String, ChannelDemand> of(ClusterState before, ClusterState after, List<Step> steps, ToIntFunction<String> syncWorkers) {
        Map<String, Counter> counters = new TreeMap<>();
        Set<String> existing = new HashSet<>();
        ExpectedChannels.of(before).forEach(channel -> existing.add(key(channel)));
        Set<String> counted = new HashSet<>();
        for (Channel channel : concat(ExpectedChannels.of(before), ExpectedChannels.of(after))) {
            if (!counted.add(key(channel))) {
                continue;
            }
            int sync = existing.contains(key(channel)) ? 0 : Math.min(syncWorkers.applyAsInt(channel.destination().name()), channel.tables().size());
            counter(counters, channel.source().name()).outgoing(1 + sync, sync);
            counter(counters, channel.destination().name()).incoming(1 + sync, sync);
        }
        Map<String, Integer> moveOut = new TreeMap<>();
        Map<String, Integer> moveIn = new TreeMap<>();
        for (Step step : steps) {
            if (step instanceof MovePrimary move) {
                addMove(moveOut, moveIn, move.from(), move.to(), Math.min(syncWorkers.applyAsInt(move.to()), move.unit().tables().size()));
            } else if (step instanceof MoveReplica move) {
                addMove(moveOut, moveIn, move.primary(), move.to(), Math.min(syncWorkers.applyAsInt(move.to()), move.unit().tables().size()));
            }
        }
        moveOut.forEach((node, peak) -> counter(counters, node).moveOut(peak));
        moveIn.forEach((node, peak) -> counter(counters, node).moveIn(peak));
        Map<String, ChannelDemand> demands = new TreeMap<>();
        counters.forEach((node, counter) -> demands.put(node, counter.demand()));
        return demands;
    }

    /** Moves run one at a time: a node's peak is its largest move (temporary subscription + its sync workers). */
    private static void addMove(Map<String, Integer> out, Map<String, Integer> in, String source, String destination, int sync) {
        out.merge(source, 1 + sync, Math::max);
        in.merge(destination, 1 + sync, Math::max);
    }

    private static String key(Channel channel) {
        return channel.source().name() + "\u0000" + channel.destination().name() + "\u0000" + channel.subscription();
    }

    private static List<Channel> concat(List<Channel> left, List<Channel> right) {
        return Stream.concat(left.stream(), right.stream()).toList();
    }

    private static Counter counter(Map<String, Counter> counters, String node) {
        return counters.computeIfAbsent(node, name -> new Counter());
    }

    private static final class Counter {
        private int channelsOut;
        private int syncOut;
        private int channelsIn;
        private int syncIn;
        private int moveOut;
        private int moveIn;

        void outgoing(int slots, int sync) {
            channelsOut += slots - sync;
            syncOut += sync;
        }

        void incoming(int workers, int sync) {
            channelsIn += workers - sync;
            syncIn += sync;
        }

        /** A move's temporary subscription; its copy's sync workers join the others'. */
        void moveOut(int peak) {
            moveOut = 1;
            syncOut += peak - 1;
        }

        void moveIn(int peak) {
            moveIn = 1;
            syncIn += peak - 1;
        }

        ChannelDemand demand() {
            int slots = channelsOut + moveOut + Math.min(syncOut, 1);
            int workers = channelsIn + moveIn + Math.min(syncIn, 1);
            String asSource = channelsOut + " channels from this node, " + moveOut + " data move, " + Math.min(syncOut, 1) + " table sync";
            String asDestination = channelsIn + " subscriptions on this node, " + moveIn + " data move, " + Math.min(syncIn, 1) + " table sync";
            return new ChannelDemand(slots, slots, workers, channelsOut + moveOut + syncOut, channelsIn + moveIn + syncIn, asSource,
                    asDestination);
        }
    }
}
