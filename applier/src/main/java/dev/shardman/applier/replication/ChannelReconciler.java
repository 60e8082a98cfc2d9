package dev.shardman.applier.replication;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The non-transactional phase of a step: publications, subscriptions and slots, each statement
 * alone in autocommit (CREATE/ALTER ... REFRESH/DROP SUBSCRIPTION refuse transaction blocks),
 * idempotent because every node is inspected first. {@link #shrink} runs BEFORE a step's
 * transactional phase (subscriptions and publication tables that the state no longer needs go
 * first, so that no apply worker meets a dropped replica table); {@link #grow} runs AFTER it (the
 * tables exist). Level-based: a crash between phases is repaired by running either again (recover
 * and apply do). Orphaned inactive {@code shardman_} slots are dropped by shrink.
 */
public final class ChannelReconciler {
    private static final String SYNCHRONOUS_COMMIT = "'local'";
    private final Function<NodeState, Connection> connections;
    private final ConninfoSecrets secrets;
    private final ReplicationInspector inspector = new ReplicationInspector();

    /**
     * Each source's {@code synchronous_standby_names} follows the recorded {@code settings.sync_replication} of
     * the state given to {@link #shrink} and {@link #grow}: on, it lists its subscriptions as {@code ANY n (...)}
     * (all of them); off, a shardman-owned value is cleared.
     */
    public ChannelReconciler(Function<NodeState, Connection> connections, ConninfoSecrets secrets) {
        requireNonNull(connections, "connections is null");
        this.connections = node -> {
            try {
                return connections.apply(node);
            } catch (RuntimeException unreachable) {
                throw new ChannelNodeUnreachable(node.name(), unreachable);
            }
        };
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /** Drops what {@code state} no longer needs on {@code nodes} (live ones); returns one line per change. */
    public List<String> shrink(ClusterState state, Collection<NodeState> nodes) throws SQLException {
        List<Channel> channels = ExpectedChannels.of(state);
        List<NodeState> live = live(nodes);
        // first, and without inspecting: commits waiting for a standby the state dropped may hold what observe reads
        List<String> done = new ArrayList<>(SynchronousStandbys.releaseUnexpected(connections, channels, live));
        Map<String, ObservedReplication> observed = observe(nodes);
        done.addAll(SynchronousStandbys.apply(connections, channels, live, state.settings().syncReplication(), observed));
        int beforeDrops = done.size();
        Map<String, Channel> bySubscription = index(channels, Channel::subscription);
        Set<String> fenced = ExpectedChannels.fenced(state);
        for (NodeState node : live) {
            done.addAll(shrinkSubscriptions(node, observed.get(node.name()), bySubscription, fenced));
        }
        for (NodeState node : live) {
            done.addAll(shrinkPublications(node, observed.get(node.name()), channels));
        }
        for (NodeState node : live) {
            // a dropped subscription drops its slot on another node: looked at again only then
            Map<String, ObservedReplication.Slot> slots = done.size() == beforeDrops ? observed.get(node.name()).slots()
                    : ReplicationInspector.slots(connections.apply(node));
            done.addAll(dropOrphanedSlots(node, slots, channels));
        }
        return List.copyOf(done);
    }

    /** Drops the node's subscriptions no channel wants; those of a fence only stop (disabled, origin kept). */
    private List<String> shrinkSubscriptions(NodeState node, ObservedReplication observed, Map<String, Channel> bySubscription, Set<String> fenced)
            throws SQLException {
        List<String> done = new ArrayList<>();
        for (ObservedReplication.Subscription subscription : observed.subscriptions().values()) {
            if (fenced.contains(node.name() + "/" + subscription.name())) {
                // from a lost node whose partitions are not all promoted: cut the stream, keep the origin
                if (subscription.enabled()) {
                    ReplicationSql.execute(connections.apply(node), "ALTER SUBSCRIPTION " + SqlNames.identifier(subscription.name()) + " DISABLE");
                    done.add(node.name() + ": disabled subscription " + subscription.name() + " (fence of a lost node)");
                }
                continue;
            }
            Channel channel = bySubscription.get(subscription.name());
            if (channel == null || !channel.destination().name().equals(node.name())) {
                ReplicationSql.dropSubscription(connections.apply(node), subscription.name());
                done.add(node.name() + ": dropped subscription " + subscription.name());
            }
        }
        return done;
    }

    /** Drops the node's unwanted publications and the tables its wanted ones no longer publish (each reader caught up and refreshed). */
    private List<String> shrinkPublications(NodeState node, ObservedReplication observed, List<Channel> channels) throws SQLException {
        List<String> done = new ArrayList<>();
        Map<String, List<Channel>> published = channels.stream().filter(channel -> channel.source().name().equals(node.name()))
                .collect(Collectors.groupingBy(Channel::publication));
        for (ObservedReplication.Publication publication : observed.publications().values()) {
            List<Channel> readers = published.get(publication.name());
            if (readers == null) {
                ReplicationSql.execute(connections.apply(node), "DROP PUBLICATION IF EXISTS " + SqlNames.identifier(publication.name()));
                done.add(node.name() + ": dropped publication " + publication.name());
                continue;
            }
            Set<TableName> extra = new TreeSet<>(publication.tables());
            extra.removeAll(readers.get(0).tables());
            if (!extra.isEmpty()) {
                ReplicationSql.execute(connections.apply(node), "ALTER PUBLICATION " + SqlNames.identifier(publication.name())
                        + " DROP TABLE " + ReplicationSql.tables(extra));
                for (Channel channel : readers) {
                    ReplicationSql.awaitSlotCatchUp(connections.apply(node), channel.subscription());
                    ReplicationSql.execute(connections.apply(channel.destination()), "ALTER SUBSCRIPTION "
                            + SqlNames.identifier(channel.subscription()) + " REFRESH PUBLICATION");
                }
                done.add(node.name() + ": " + extra.size() + " table(s) left publication " + publication.name());
            }
        }
        return done;
    }

    /** Drops the node's inactive slots that no channel reads from (a master change's handover slot counts as read while its channel is wanted). */
    private List<String> dropOrphanedSlots(NodeState node, Map<String, ObservedReplication.Slot> slots, List<Channel> channels) throws SQLException {
        Set<String> wanted = channels.stream().filter(channel -> channel.source().name().equals(node.name()))
                .map(Channel::subscription).collect(Collectors.toSet());
        // grow subscribes from the handover slot
        channels.stream().filter(channel -> channel.shared() && channel.source().name().equals(node.name()))
                .map(Channel::handoverSlot).forEach(wanted::add);
        List<String> done = new ArrayList<>();
        for (ObservedReplication.Slot slot : slots.values()) {
            if (!wanted.contains(slot.name()) && !slot.active()) {
                ReplicationSql.dropSlot(connections.apply(node), slot.name());
                done.add(node.name() + ": dropped orphaned replication slot " + slot.name());
            }
        }
        return done;
    }

    /**
     * Ends the synchronous waits on standbys that {@code state} does not have (those of lost nodes) on {@code nodes}, and
     * nothing else: what must come before work that takes locks such waits hold (recover finishing a move).
     */
    public List<String> releaseSynchronousWaits(ClusterState state, Collection<NodeState> nodes) throws SQLException {
        return SynchronousStandbys.releaseUnexpected(connections, ExpectedChannels.of(state), live(nodes));
    }

    /** Creates or completes what {@code state} needs (publications first, then subscriptions); one line per change. */
    public List<String> grow(ClusterState state) throws SQLException {
        List<Channel> channels = ExpectedChannels.of(state);
        Observations seen = new Observations(connections, inspector);
        List<String> done = new ArrayList<>(growChannels(channels, seen));
        List<NodeState> sources = live(channels.stream().map(Channel::source).toList());
        List<NodeState> all = new ArrayList<>(sources);
        state.nodes().stream().filter(node -> !node.lost()).forEach(all::add);
        done.addAll(SynchronousStandbys.apply(connections, channels, live(all), state.settings().syncReplication(), observe(live(all), seen)));
        return List.copyOf(done);
    }

    /**
     * As {@link #grow}, for a step that changes only some channels (a data move): only the channels of {@code after}
     * that differ from those of {@code before}, and the standby settings of their two ends. A full pass looks at every
     * node; this one at the few a move concerns (recover's pass is still the full one).
     */
    public List<String> growChanged(ClusterState before, ClusterState after) throws SQLException {
        List<Channel> channels = ExpectedChannels.of(after);
        List<Channel> changed = changed(ExpectedChannels.of(before), channels);
        Observations seen = new Observations(connections, inspector);
        List<String> done = new ArrayList<>(growChannels(changed, seen));
        List<NodeState> ends = live(ends(changed));
        // every channel of a source is given: a destination not observed keeps its current place in the setting
        done.addAll(SynchronousStandbys.apply(connections, channels, ends, after.settings().syncReplication(), observe(ends, seen)));
        return List.copyOf(done);
    }

    /**
     * The nodes at either end of a channel that differs between {@code before} and {@code after} (changed, added or
     * gone): the only ones a {@link #shrink} from one state to the other changes anything on.
     */
    public static List<NodeState> changedEnds(ClusterState before, ClusterState after) {
        List<Channel> was = ExpectedChannels.of(before);
        List<Channel> is = ExpectedChannels.of(after);
        // the channels of the state after first: live() keeps the first node of each name
        List<Channel> differ = new ArrayList<>(changed(was, is));
        differ.addAll(changed(is, was));
        return live(ends(differ));
    }

    /** The channels of {@code now} that {@code then} does not have exactly (same ends, name and tables). */
    private static List<Channel> changed(List<Channel> then, List<Channel> now) {
        Set<Channel> unchanged = Set.copyOf(then);
        return now.stream().filter(channel -> !unchanged.contains(channel)).toList();
    }

    private static List<NodeState> ends(List<Channel> channels) {
        List<NodeState> ends = new ArrayList<>();
        channels.forEach(channel -> {
            ends.add(channel.source());
            ends.add(channel.destination());
        });
        return ends;
    }

    /**
     * Before a move's cutover: the channels from the move's {@code destination} to every live holder of a replica of
     * the {@code moved} partitions exist (as {@code before} has them: the moved partitions are not published yet;
     * a pair new to each other gets an empty channel), and the destination's {@code synchronous_standby_names} names
     * them, so that from the fence on its commits wait for those replicas ({@link ReplicaHandover} adds the partitions).
     */
    public List<String> openForHandover(ClusterState before, ClusterState after, NodeState destination, Set<TableName> moved)
            throws SQLException {
        Map<String, Channel> existing = index(ExpectedChannels.of(before), Channel::subscription);
        List<Channel> fromDestination = ExpectedChannels.of(after).stream()
                .filter(channel -> !channel.shared() && channel.source().name().equals(destination.name())).toList();
        List<Channel> opened = fromDestination.stream().filter(channel -> channel.tables().stream().anyMatch(moved::contains))
                .map(channel -> existing.getOrDefault(channel.subscription(), channel.withTables(List.of()))).toList();
        if (opened.isEmpty()) {
            return List.of();
        }
        List<String> done = new ArrayList<>();
        Map<String, ObservedReplication> observed = new TreeMap<>();
        Observations seen = new Observations(connections, inspector);
        for (Channel channel : opened) {
            try {
                done.addAll(growChannels(List.of(channel), seen));
            } catch (ChannelNodeUnreachable unreachable) {
                if (unreachable.node().equals(destination.name())) {
                    throw unreachable;
                }
                // the handover leaves this holder out: its replica is copied again after the move
                done.add(unreachable.node() + ": cannot be reached, left out of the handover");
            }
        }
        for (NodeState reader : live(fromDestination.stream().map(Channel::destination).toList())) {
            try {
                observed.put(reader.name(), seen.of(reader));
            } catch (ChannelNodeUnreachable unreachable) {
                // its place in synchronous_standby_names is kept if it has one (SynchronousStandbys.wantedNames)
            }
        }
        done.addAll(SynchronousStandbys.apply(connections, fromDestination, List.of(destination), after.settings().syncReplication(), observed));
        return List.copyOf(done);
    }

    /** Creates or completes {@code channels}: publications first, then subscriptions; one line per change. */
    private List<String> growChannels(List<Channel> channels, Observations seen) throws SQLException {
        List<String> done = new ArrayList<>();
        for (Channel channel : channels) {
            growPublication(channel, seen, done);
        }
        for (Channel channel : channels) {
            Connection destination = connections.apply(channel.destination());
            ObservedReplication.Subscription subscription = seen.of(channel.destination()).subscriptions().get(channel.subscription());
            if (subscription == null) {
                createSubscription(channel, destination, seen, done);
                continue;
            }
            if (completeSubscription(channel, destination, subscription, done)) {
                seen.changed(channel.destination());
            }
            if (channel.shared()) {
                seen.changed(channel.source());
                ReplicationSql.dropSlot(connections.apply(channel.source()), channel.handoverSlot());
            }
        }
        return done;
    }

    /** Creates the channel's publication, or adds the tables it lacks. */
    private void growPublication(Channel channel, Observations seen, List<String> done) throws SQLException {
        Connection source = connections.apply(channel.source());
        ObservedReplication.Publication publication = seen.of(channel.source()).publications().get(channel.publication());
        if (publication == null) {
            seen.changed(channel.source());
            ReplicationSql.execute(source, "CREATE PUBLICATION " + SqlNames.identifier(channel.publication())
                    + (channel.tables().isEmpty() ? "" : " FOR TABLE " + ReplicationSql.tables(channel.tables())));
            done.add(channel.source().name() + ": created publication " + channel.publication());
            return;
        }
        Set<TableName> missing = new TreeSet<>(channel.tables());
        missing.removeAll(publication.tables());
        if (!missing.isEmpty()) {
            seen.changed(channel.source());
            ReplicationSql.execute(source, "ALTER PUBLICATION " + SqlNames.identifier(channel.publication()) + " ADD TABLE " + ReplicationSql.tables(missing));
            done.add(channel.source().name() + ": " + missing.size() + " table(s) added to publication " + channel.publication());
        }
    }

    /** Creates the channel's subscription: from a master change's handover slot without a copy, otherwise with a full copy into emptied tables. */
    private void createSubscription(Channel channel, Connection destination, Observations seen, List<String> done) throws SQLException {
        Connection source = connections.apply(channel.source());
        Map<String, ObservedReplication.Slot> slots = seen.of(channel.source()).slots();
        // creating the subscription (or dropping a slot) changes both ends
        seen.changed(channel.source());
        seen.changed(channel.destination());
        ObservedReplication.Slot slot = slots.get(channel.subscription());
        if (slot != null && !slot.active()) {
            ReplicationSql.dropSlot(source, slot.name());
        }
        if (channel.shared() && slots.containsKey(channel.handoverSlot())) {
            // after a master change: the destination's copy is complete up to the fence, where the handover slot stands
            SharedHandover.subscribeFromHandover(source, destination, channel, channel.subscriptionConninfo(secrets), SYNCHRONOUS_COMMIT);
            done.add(channel.destination().name() + ": created subscription " + channel.subscription() + " from the master change's fence (no copy)");
            return;
        }
        // The copy starts from empty tables (as the apply worker would: no trigger fires): a shared copy no handover kept
        // complete, or a replica filled by an earlier primary (one that lagged behind a lost node).
        ReplicationSql.truncateReplicaCopies(destination, channel.tables());
        // 'local', not 'on': the apply (and table sync) workers flush each commit at once (fast acks to a synchronous
        // publisher), but do not wait for the subscriber's own synchronous standbys: with 'on', two nodes replicating
        // to each other deadlock (each sync worker's commit waits for the other node's apply worker, itself waiting
        // for its sync worker; seen in LostNodeSyncFailoverIT when a failover created replicas w2 → w3 and w3 → w2)
        ReplicationSql.executeWithSecret(destination, "CREATE SUBSCRIPTION " + SqlNames.identifier(channel.subscription())
                + " CONNECTION " + SqlNames.literal(channel.subscriptionConninfo(secrets))
                + " PUBLICATION " + SqlNames.identifier(channel.publication()) + " WITH (synchronous_commit = " + SYNCHRONOUS_COMMIT + ")");
        done.add(channel.destination().name() + ": created subscription " + channel.subscription());
    }

    /** Brings an existing subscription to the channel: synchronous_commit, connection, enabled, tables; whether it changed it. */
    private boolean completeSubscription(Channel channel, Connection destination, ObservedReplication.Subscription subscription, List<String> done)
            throws SQLException {
        int before = done.size();
        String name = SqlNames.identifier(channel.subscription());
        if (!subscription.synchronousCommit().equals("local")) {
            // created by an earlier version with 'on' (see the deadlock above)
            ReplicationSql.execute(destination, "ALTER SUBSCRIPTION " + name + " SET (synchronous_commit = " + SYNCHRONOUS_COMMIT + ")");
            done.add(channel.destination().name() + ": subscription " + channel.subscription() + " set to synchronous_commit 'local'");
        }
        String conninfo = channel.subscriptionConninfo(secrets);
        if (!subscription.conninfoDigest().equals(SecretDigest.of(conninfo))) {
            // the source's host, port, TLS settings or password changed (e.g. a rotated password): the slot and the
            // copied data stay, the apply worker restarts with the new connection
            ReplicationSql.executeWithSecret(destination, "ALTER SUBSCRIPTION " + name + " CONNECTION " + SqlNames.literal(conninfo));
            ReplicationSql.restartWorkers(destination, channel.subscription());
            done.add(channel.destination().name() + ": subscription " + channel.subscription() + " connection updated");
        }
        if (!subscription.enabled()) {
            ReplicationSql.execute(destination, "ALTER SUBSCRIPTION " + name + " ENABLE");
            done.add(channel.destination().name() + ": enabled subscription " + channel.subscription());
        }
        if (!subscription.tableStates().keySet().containsAll(channel.tables())) {
            Set<TableName> added = new TreeSet<>(channel.tables());
            added.removeAll(subscription.tableStates().keySet());
            // a table new to this subscription is copied in full: what it holds (a replica filled from an earlier
            // primary, e.g. one that lagged behind a lost node) is emptied first, bypassing the read-only trigger
            ReplicationSql.truncateReplicaCopies(destination, added);
            ReplicationSql.execute(destination, "ALTER SUBSCRIPTION " + name + " REFRESH PUBLICATION");
            done.add(channel.destination().name() + ": refreshed subscription " + channel.subscription());
        }
        return done.size() > before;
    }

    /** Partitions and bytes of the expected replicas whose initial copy is done ({@code srsubstate = 'r'}), of the total. */
    public record SyncProgress(int readyTables, int totalTables, long readyBytes, long totalBytes) {
        public boolean done() {
            return readyTables == totalTables;
        }

        public String describe() {
            return "initial sync: " + readyTables + " of " + totalTables + " replica partitions ready, "
                    + readyBytes / 1024 + " of " + totalBytes / 1024 + " KiB";
        }
    }

    /** One look at every destination (and the sizes of the tables on the sources). */
    public SyncProgress syncProgress(ClusterState state) throws SQLException {
        int ready = 0;
        int total = 0;
        long readyBytes = 0;
        long totalBytes = 0;
        for (Channel channel : ExpectedChannels.of(state)) {
            Map<TableName, Long> sizes = ReplicationSql.sizes(connections.apply(channel.source()), channel.tables());
            ObservedReplication.Subscription subscription = inspector.inspect(connections.apply(channel.destination()),
                    channel.destination().name()).subscriptions().get(channel.subscription());
            for (TableName table : channel.tables()) {
                total++;
                long size = sizes.getOrDefault(table, 0L);
                totalBytes += size;
                if (subscription != null && "r".equals(subscription.tableStates().get(table))) {
                    ready++;
                    readyBytes += size;
                }
            }
        }
        return new SyncProgress(ready, total, readyBytes, totalBytes);
    }

    /** Waits until every expected replica finished its initial copy, reporting each change of progress; false on timeout. */
    public boolean awaitInitialSync(ClusterState state, java.time.Duration timeout, java.util.function.Consumer<String> progress) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SyncProgress last = null;
        // a new replica of a near-empty partition is ready within tens of milliseconds: look soon, then less often
        long pause = 10;
        while (true) {
            SyncProgress now = syncProgress(state);
            if (!now.equals(last) && (last != null || !now.done())) {
                progress.accept(now.describe());
            }
            last = now;
            if (now.done()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            ReplicationSql.sleep(pause);
            pause = Math.min(200, pause * 2);
        }
    }

    /** Observes every live node of {@code nodes}, by node name. */
    public Map<String, ObservedReplication> observe(Collection<NodeState> nodes) throws SQLException {
        return observe(nodes, new Observations(connections, inspector));
    }

    private static Map<String, ObservedReplication> observe(Collection<NodeState> nodes, Observations seen) throws SQLException {
        Map<String, ObservedReplication> result = new TreeMap<>();
        for (NodeState node : live(nodes)) {
            result.put(node.name(), seen.of(node));
        }
        return result;
    }

    /** The first occurrence of each node name decides (callers list the state after first), then lost ones are left out. */
    static List<NodeState> live(Collection<NodeState> nodes) {
        Map<String, NodeState> byName = new TreeMap<>();
        nodes.forEach(node -> byName.putIfAbsent(node.name(), node));
        return byName.values().stream().filter(node -> !node.lost()).toList();
    }

    private static Map<String, Channel> index(List<Channel> channels, Function<Channel, String> key) {
        Map<String, Channel> result = new HashMap<>();
        channels.forEach(channel -> result.put(key.apply(channel), channel));
        return result;
    }
}
