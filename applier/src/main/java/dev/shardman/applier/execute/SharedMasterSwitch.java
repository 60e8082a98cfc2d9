package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.CommitNotAcknowledged;
import dev.shardman.applier.metadata.StepRun;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.SharedCopyFence;
import dev.shardman.applier.objects.SharedData;
import dev.shardman.applier.objects.SharedView;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.Channel;
import dev.shardman.applier.replication.ExpectedChannels;
import dev.shardman.applier.replication.SharedHandover;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.ChangeSharedMaster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A shared table's master change without copying a row and without a moment where a copy is empty: a write fence on
 * the old master until every copy confirmed its position, the new master opened inside it on handover slots, the
 * fence's end two-phase committed with the metadata, then {@link #finish} moves the channels. Recover finishes or
 * undoes it from the decision (docs/internals/replication.md, "Changing a shared table's master").
 */
final class SharedMasterSwitch {
    static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final Duration FENCE_LOCK = Duration.ofSeconds(10);
    static final String HANDOVER_SLOTS = "handover-slots";
    static final String FENCED = "fenced";

    private final ChangeSharedMaster step;
    private final SwitchTools tools;

    SharedMasterSwitch(ChangeSharedMaster step, SwitchTools tools) {
        this.step = requireNonNull(step, "step is null");
        this.tools = requireNonNull(tools, "tools is null");
    }

    ClusterState switchOver(StepRun run, ClusterState before, ClusterState after) throws SQLException {
        NodeState master = before.node(step.from()).orElseThrow();
        NodeState newMaster = before.node(step.to()).orElseThrow();
        Map<String, Connection> live = connectLive(before);
        List<Channel> handovers = newChannels(after, newMaster);
        for (Channel channel : handovers) {
            if (!SharedHandover.subscribed(live.get(channel.destination().name()), channel.subscription())) {
                SharedHandover.createSlot(live.get(newMaster.name()), channel.handoverSlot());
            }
        }
        tools.faults().at(step.id().value(), HANDOVER_SLOTS);
        String gid = NodeReconciler.GID_PREFIX + tools.planId() + "_" + run.journalId() + "_" + master.id();
        try (Connection fence = tools.nodes().openSeparate(master)) {
            long fenced = fence(fence, run, before, after, live, handovers, gid);
            NodeReconciler.create(PasswordSource.none()).commitPrepared(fence, gid);
            long millis = Duration.ofNanos(System.nanoTime() - fenced).toMillis();
            tools.progressLines().accept("write fence on " + master.name() + " for the master change of " + step.table() + ": " + millis
                    + " ms (writes waited; no row copied)");
        }
        forget(gid);
        tools.faults().at(step.id().value(), FaultHook.AFTER_COMMIT);
        return after;
    }

    /** Steps 2-4 on the fence connection; returns when the fence started (System.nanoTime). */
    private long fence(Connection fence, StepRun run, ClusterState before, ClusterState after, Map<String, Connection> live,
                       List<Channel> handovers, String gid) throws SQLException {
        TableState table = before.table(step.table()).orElseThrow();
        TableName data = SharedData.nameFor(table.name());
        boolean prepared = false;
        fence.setAutoCommit(false);
        try {
            SharedCopyFence.lock(fence, new TableName(table.schema(), table.name()), data, FENCE_LOCK);
            long started = System.nanoTime();
            awaitCopies(fence, before, live, data, SharedHandover.currentPosition(fence));
            openNewMaster(live, handovers, data);
            tools.faults().at(step.id().value(), FENCED);
            SharedHandover.unpublishInTransaction(fence, data);
            SharedCopyFence.forwardWrites(fence, data, SharedView.expected(new TableName(table.schema(), table.name()), data, List.of(),
                    Optional.empty()).foreignTable());
            NodeReconciler.create(PasswordSource.fromState(after, tools.secrets()))
                    .prepare(fence, ExpectedObjects.forNode(after, step.from()), List.of(before, after), gid);
            prepared = true;
            tools.store().journal().markPrepared(run);
            tools.faults().at(step.id().value(), FaultHook.AFTER_NODE_WORK);
            commitMetadata(run, before, after, gid);
            return started;
        } catch (SQLException | RuntimeException failure) {
            if (!(failure instanceof CommitNotAcknowledged)) {
                rollBack(fence, prepared, gid);
            }
            throw failure;
        }
    }

    /** The metadata commit with the decision; a lost reply is read back (committed: go on; not: the fence is rolled back). */
    private void commitMetadata(StepRun run, ClusterState before, ClusterState after, String gid) {
        try {
            tools.store().commitStep(run, before, after, List.of(gid));
            tools.faults().lostReply(run.stepId(), FaultHook.LOST_COMMIT_REPLY);
        } catch (CommitNotAcknowledged lostReply) {
            if (!tools.store().stepCommitted(run, after)) {
                throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord did not commit the step: " + lostReply.summary(),
                        "nothing was committed; run apply again", lostReply);
            }
        }
    }

    /** Every copy (each live node but the old master) confirmed {@code position} with its copy of the table ready; else names them. */
    private void awaitCopies(Connection fence, ClusterState before, Map<String, Connection> live, TableName table, String position)
            throws SQLException {
        Map<String, String> slots = new TreeMap<>();
        for (Channel channel : ExpectedChannels.of(before)) {
            if (channel.shared() && channel.source().name().equals(step.from()) && channel.tables().contains(table)) {
                slots.put(channel.destination().name(), channel.subscription());
            }
        }
        Map<String, String> behind = SharedHandover.awaitCopies(fence, live, slots, table, position, CATCH_UP);
        if (!behind.isEmpty()) {
            List<String> named = new ArrayList<>();
            behind.forEach((node, why) -> named.add(node + ": " + why));
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the copies of " + step.table() + " did not catch up with " + step.from()
                    + " within " + CATCH_UP.toSeconds() + " s (" + String.join("; ", named) + "); nothing changed",
                    "bring the named nodes back or mark them lost in the spec, then run apply again");
        }
    }

    /** Step 3: the new master takes writes and publishes the table; every destination goes on from exactly here. */
    private void openNewMaster(Map<String, Connection> live, List<Channel> handovers, TableName data) throws SQLException {
        Connection newMaster = live.get(step.to());
        SharedCopyFence.makeWritable(newMaster, data);
        SharedHandover.publish(newMaster, data);
        String position = SharedHandover.currentPosition(newMaster);
        for (Channel channel : handovers) {
            Connection destination = live.get(channel.destination().name());
            if (SharedHandover.subscribed(destination, channel.subscription())) {
                SharedHandover.refreshWithoutCopy(destination, channel.subscription());
            } else {
                SharedHandover.advanceSlot(newMaster, channel.handoverSlot(), position);
            }
        }
    }

    /** Step 5: the other live nodes' objects (views through the new master), then the channels reversed on the handover slots. */
    void finish(ClusterState before, ClusterState after) throws SQLException {
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(after, tools.secrets()));
        List<NodeState> others = new ArrayList<>(after.nodes().stream().filter(node -> !node.lost() && node.name().equals(step.to())).toList());
        after.nodes().stream().filter(node -> !node.lost() && !node.name().equals(step.to()) && !node.name().equals(step.from())).forEach(others::add);
        for (NodeState node : others) {
            reconciler.reconcile(tools.nodes().connect(node), ExpectedObjects.forNode(after, node.name()), List.of(before, after));
        }
        List<NodeState> known = new ArrayList<>(after.nodes());
        known.addAll(before.nodes());
        tools.channels().shrink(after, known);
        tools.channels().grow(after);
    }

    /** The shared channels from the new master in the state after (one per other live node). */
    private List<Channel> newChannels(ClusterState after, NodeState newMaster) {
        return ExpectedChannels.of(after).stream().filter(channel -> channel.shared() && channel.source().name().equals(newMaster.name())).toList();
    }

    /** A session on every live node; a node that does not answer is named before anything changed. */
    private Map<String, Connection> connectLive(ClusterState before) {
        Map<String, Connection> live = new TreeMap<>();
        for (NodeState node : before.nodes()) {
            if (node.lost()) {
                continue;
            }
            try {
                live.put(node.name(), tools.nodes().connect(node));
            } catch (RuntimeException unreachable) {
                throw new ShardmanException(ErrorCode.NODE_FAILURE, "cannot change the master of " + step.table() + ": " + node.name()
                        + " does not answer (" + unreachable.getMessage() + "); nothing changed",
                        "bring " + node.name() + " back, or mark it lost in the spec, then run apply again", unreachable);
            }
        }
        return live;
    }

    private static void rollBack(Connection fence, boolean prepared, String gid) {
        try {
            if (prepared) {
                NodeReconciler.create(PasswordSource.none()).rollbackPrepared(fence, gid);
            } else if (!fence.isClosed()) {
                fence.rollback();
            }
        } catch (SQLException | RuntimeException ignored) {
            // no decision was recorded: recover rolls it back
        }
    }

    private void forget(String gid) {
        try {
            tools.store().journal().forgetDecisions(List.of(gid));
        } catch (RuntimeException kept) {
            // recover prunes a decision no node holds any more
        }
    }
}
