package dev.shardman.applier.monitor;


import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.metadata.Moves;
import dev.shardman.applier.replication.ChannelStatus;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * {@code shardman monitor}'s poll: reads the shardlord (the nodes to poll, moves, last apply), every live node in
 * parallel ({@link NodePoll}), the replication channels; reports nodes going down and up at once, breaks confirmed
 * global deadlocks ({@link DeadlockBreaker}), reports shardman-prepared transactions older than
 * {@link MonitorOptions#preparedAge()} once each and has the {@link PreparedResolver} resolve them, and hands the unreachable nodes to the {@link NodeDownResponder}.
 * One thread calls {@link #poll()}; state between polls (outages, the deadlock candidates) lives here.
 */
public final class Monitor implements AutoCloseable {
    public static final String APPLICATION_NAME = "shardman-monitor";

    private final ConnectionFactory factory;
    private final String shardlordConninfo;
    private final MonitorOptions options;
    private final NodeDownResponder responder;
    private final PreparedResolver resolver;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "shardman-monitor-node");
        thread.setDaemon(true);
        return thread;
    });
    private final DeadlockBreaker deadlocks = new DeadlockBreaker();
    private final MonitorLease lease;
    private final Map<String, Instant> downSince = new LinkedHashMap<>();
    private final Set<String> reportedPrepared = new HashSet<>();
    private ClusterState lastState = ClusterState.empty();
    private final ReplicationWatch replication = new ReplicationWatch();
    private final Set<String> reportedMoves = new HashSet<>();
    private boolean shardlordDown;
    private boolean firstPoll = true;
    private Optional<Boolean> acting = Optional.empty();

    /** The shardlord's answer of one poll, and whether this monitor holds the lease. */
    private record ShardlordRead(Optional<ShardlordView> view, boolean holdsLease, String holder) {
    }

    public Monitor(ConnectionFactory factory, String shardlordConninfo, MonitorOptions options, NodeDownResponder responder) {
        this(factory, shardlordConninfo, options, responder, PreparedResolver.NONE);
    }

    public Monitor(ConnectionFactory factory, String shardlordConninfo, MonitorOptions options, NodeDownResponder responder,
                   PreparedResolver resolver) {
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.factory = requireNonNull(factory, "factory is null");
        this.shardlordConninfo = requireNonNull(shardlordConninfo, "shardlordConninfo is null");
        this.options = requireNonNull(options, "options is null");
        this.responder = requireNonNull(responder, "responder is null");
        this.lease = new MonitorLease(options.lease());
    }

    public MonitorOptions options() {
        return options;
    }

    /** One poll; never throws for a node or the shardlord that does not answer (those are events). A standby polls no node. */
    public PollResult poll() {
        Instant time = Instant.now();
        long started = System.nanoTime();
        List<MonitorEvent> events = new ArrayList<>();
        ShardlordRead shardlord = readShardlord(events::add);
        shardlord.view().ifPresent(view -> lastState = view.state());
        reportRole(shardlord, events::add);
        if (!shardlord.holdsLease()) {
            return new PollResult(time, Duration.ofNanos(System.nanoTime() - started), false, shardlord.view(), List.of(), List.of(), events, 0, 0);
        }
        List<NodeState> nodes = lastState.nodes().stream().filter(node -> !node.lost()).toList();
        try (NodePoll poll = NodePoll.read(factory, nodes, executor)) {
            reportReachability(poll.samples(), time, events::add);
            DeadlockBreaker.Outcome outcome = deadlocks.poll(poll, events::add);
            shardlord.view().ifPresent(view -> reportStuckMoves(view, events::add));
            if (reportStalePrepared(poll.samples(), events::add)) {
                resolvePrepared(events::add);
            }
            List<ChannelStatus> channels = ChannelStatus.read(lastState, node -> poll.connection(node.name())
                    .orElseThrow(() -> new IllegalStateException(node.name() + " did not answer this poll")));
            List<NodeDownResponder.UnreachableNode> unreachable = unreachable(poll.samples(), time);
            replication.report(channels, unreachable.stream().map(NodeDownResponder.UnreachableNode::node).collect(java.util.stream.Collectors.toSet()),
                    lastState.settings().maxReplicationLagBytes(), events::add);
            responder.respond(unreachable, events::add);
            responder.unfinished(lastState.nodes().stream().filter(NodeState::lost).map(NodeState::name)
                    .filter(name -> lastState.partitions().stream().anyMatch(partition -> partition.node().equals(name))).toList(), events::add);
            firstPoll = false;
            return new PollResult(time, Duration.ofNanos(System.nanoTime() - started), true, shardlord.view(), poll.samples(), channels,
                    events, outcome.detected(), outcome.resolved());
        }
    }

    /** Whether the last poll saw a wait cycle that the next one would confirm. */
    public boolean deadlockPending() {
        return deadlocks.pending();
    }

    /** Reads the shardlord and renews the lease there; without the shardlord, the lease counts while the last renewal lasts. */
    private ShardlordRead readShardlord(Consumer<MonitorEvent> events) {
        try (Connection connection = factory.connect(ConnectionTarget.shardlord(shardlordConninfo))) {
            ShardlordView view = ShardlordView.read(connection);
            shardlordDown = false;
            if (!view.managed()) {
                return new ShardlordRead(Optional.of(view), true, lease.holder()); // no cluster yet: nothing to share
            }
            boolean held = lease.renew(connection);
            return new ShardlordRead(Optional.of(view), held, held ? lease.holder() : MonitorLease.currentHolder(connection));
        } catch (SQLException | ShardmanException failure) {
            if (!shardlordDown) {
                String reason = failure instanceof ShardmanException known ? known.summary() : failure.getMessage();
                events.accept(MonitorEvent.of(MonitorEvent.Kind.SHARDLORD_DOWN, null,
                        "the shardlord did not answer (polling the nodes it last listed while the lease lasts): " + reason, Map.of()));
            }
            shardlordDown = true;
            return new ShardlordRead(Optional.empty(), lease.stillHeld(), "");
        }
    }

    /** LEASE_ACQUIRED when this monitor starts acting, STANDBY when it stops or starts as one. */
    private void reportRole(ShardlordRead shardlord, Consumer<MonitorEvent> events) {
        if (acting.equals(Optional.of(shardlord.holdsLease()))) {
            return;
        }
        acting = Optional.of(shardlord.holdsLease());
        if (shardlord.holdsLease()) {
            events.accept(MonitorEvent.of(MonitorEvent.Kind.LEASE_ACQUIRED, null, "this monitor (" + lease.holder() + ") holds the lease and acts",
                    Map.of("holder", lease.holder())));
        } else {
            events.accept(MonitorEvent.of(MonitorEvent.Kind.STANDBY, null, "standing by: "
                    + (shardlord.holder().isEmpty() ? "the lease cannot be renewed" : "the monitor " + shardlord.holder() + " holds the lease"),
                    Map.of("holder", shardlord.holder())));
        }
        firstPoll = true; // a new term reports every node's state afresh
    }

    private void reportReachability(List<NodeSample> samples, Instant time, Consumer<MonitorEvent> events) {
        for (NodeSample sample : samples) {
            boolean wasDown = downSince.containsKey(sample.node());
            if (!sample.reachable() && !wasDown) {
                downSince.put(sample.node(), time);
                events.accept(MonitorEvent.of(MonitorEvent.Kind.NODE_DOWN, sample.node(),
                        sample.node() + " does not answer: " + sample.error().orElseThrow(), Map.of()));
            } else if (sample.reachable() && (wasDown || firstPoll)) {
                downSince.remove(sample.node());
                events.accept(MonitorEvent.of(MonitorEvent.Kind.NODE_UP, sample.node(), sample.node() + " answers ("
                        + sample.latency().toMillis() + " ms)", Map.of("latency_ms", sample.latency().toMillis())));
            }
        }
        downSince.keySet().retainAll(samples.stream().map(NodeSample::node).toList());
    }

    /** Reports each stale transaction once; true when any is older than the threshold now. */
    /**
     * A move whose row has not changed for longer than the stuck-work threshold while no apply or recover holds the cluster
     * lock: interrupted work nobody is finishing (a long copy under a running apply is not stuck). Once per move and phase.
     */
    private void reportStuckMoves(ShardlordView view, Consumer<MonitorEvent> events) {
        Set<String> present = new HashSet<>();
        for (Moves.Idle move : view.idleMoves()) {
            String key = move.id() + "/" + move.phase();
            present.add(key);
            if (!view.locked() && move.idle().compareTo(options.preparedAge()) > 0 && reportedMoves.add(key)) {
                events.accept(MonitorEvent.of(MonitorEvent.Kind.MOVE_STUCK, null, "move " + move.id() + " (" + move.stepId() + ") has been in phase "
                        + move.phase() + " for " + move.idle().toSeconds() + " s and no apply or recover is running: run apply (or recover) to finish it",
                        Map.of("move", move.id(), "step", move.stepId(), "phase", move.phase(), "idle_seconds", move.idle().toSeconds())));
            }
        }
        reportedMoves.retainAll(present);
    }

    private boolean reportStalePrepared(List<NodeSample> samples, Consumer<MonitorEvent> events) {
        Set<String> present = new HashSet<>();
        boolean stale = false;
        for (NodeSample sample : samples) {
            sample.prepared().gids().forEach(gid -> present.add(sample.node() + "/" + gid));
            if (sample.prepared().count() == 0 || sample.prepared().oldestAge().compareTo(options.preparedAge()) <= 0) {
                continue;
            }
            stale = true;
            if (reportedPrepared.add(sample.node() + "/" + sample.prepared().gids().get(0))) {
                events.accept(MonitorEvent.of(MonitorEvent.Kind.PREPARED_TRANSACTION_STALE, sample.node(), sample.node() + " has "
                        + sample.prepared().count() + " shardman prepared transaction(s), the oldest (" + sample.prepared().gids().get(0)
                        + ") prepared " + sample.prepared().oldestAge().toSeconds() + " s ago",
                        Map.of("gids", sample.prepared().gids(), "oldest_age_seconds", sample.prepared().oldestAge().toSeconds())));
            }
        }
        reportedPrepared.retainAll(present);
        return stale;
    }

    /** As recover does, under the cluster lock; while an apply or recover holds it, that one resolves them. */
    private void resolvePrepared(Consumer<MonitorEvent> events) {
        try {
            for (String line : resolver.resolve()) {
                events.accept(MonitorEvent.of(MonitorEvent.Kind.PREPARED_TRANSACTION_RESOLVED, null, line, Map.of()));
            }
        } catch (ShardmanException notNow) {
            if (notNow.code() != ErrorCode.LOCK_HELD) {
                events.accept(MonitorEvent.of(MonitorEvent.Kind.PREPARED_TRANSACTION_STALE, null,
                        "could not resolve the prepared transactions: " + notNow.summary(), Map.of()));
            }
        }
    }

    private List<NodeDownResponder.UnreachableNode> unreachable(List<NodeSample> samples, Instant now) {
        List<NodeDownResponder.UnreachableNode> nodes = new ArrayList<>();
        for (NodeSample sample : samples) {
            if (!sample.reachable()) {
                Duration down = Duration.between(downSince.getOrDefault(sample.node(), now), now);
                nodes.add(new NodeDownResponder.UnreachableNode(sample.node(), down.isNegative() ? Duration.ZERO : down, sample.error().orElseThrow()));
            }
        }
        return nodes;
    }

    /** Releases the lease if held (a clean stop: a standby takes over at its next poll) and stops the node threads. */
    @Override
    public void close() {
        executor.shutdownNow();
        if (acting.equals(Optional.of(true))) {
            try (Connection connection = factory.connect(ConnectionTarget.shardlord(shardlordConninfo))) {
                lease.release(connection);
            } catch (SQLException | ShardmanException unreachable) {
                // the lease expires on its own
            }
        }
    }
}
