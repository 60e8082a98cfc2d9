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
 * What a plan's replication needs on one node at its peak, an upper bound: every channel before or after
 * the plan at once (new channels are created before old ones are dropped), each new subscription copying
 * with its destination's {@code max_sync_workers_per_subscription} table sync workers (each with a slot and
 * a WAL sender on the source), and the one data move that runs at a time with its temporary subscription
 * and its own table sync workers.
 *
 * @param slots replication slots on this node as a source
 * @param walSenders WAL senders on this node as a source (one per slot in use)
 * @param logicalWorkers apply and table sync workers on this node as a destination
 * @param explanation what the numbers count, for the refusal
 */
record ChannelDemand(int slots, int walSenders, int logicalWorkers, String explanation) {
    /** Background workers: the logical ones plus the logical replication launcher. */
    int workerProcesses() {
        return logicalWorkers + 1;
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

        void moveOut(int peak) {
            moveOut = peak;
        }

        void moveIn(int peak) {
            moveIn = peak;
        }

        ChannelDemand demand() {
            int slots = channelsOut + syncOut + moveOut;
            int workers = channelsIn + syncIn + moveIn;
            String explanation = channelsOut + " channels out, " + syncOut + " table sync slots, " + moveOut + " for a move out; "
                    + channelsIn + " subscriptions in, " + syncIn + " table sync workers, " + moveIn + " for a move in";
            return new ChannelDemand(slots, slots, workers, explanation);
        }
    }
}
