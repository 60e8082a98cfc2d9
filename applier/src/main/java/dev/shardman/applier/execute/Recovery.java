package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.metadata.Decision;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.move.MoveRecovery;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.ObjectChange;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.PreparedTransaction;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Brings the live nodes back to the metadata (the caller holds the cluster lock): resolve every prepared
 * {@code shardman_} transaction from its recorded decision, release synchronous waits on lost standbys, finish the
 * data moves ({@link MoveRecovery#finish}), sweep move leftovers, then shrink the channels, reconcile each node and
 * grow the channels, as a step does. Returns one line per thing fixed; empty = consistent. Never drops user data;
 * nodes the spec marks lost are skipped (docs/internals/recovery-and-faults.md, "Recovery").
 */
public final class Recovery {
    /** SQLSTATE of "prepared transaction with identifier ... is busy": a session still holds it. */
    private static final String BUSY = "55000";
    private static final Duration BUSY_WAIT = Duration.ofSeconds(10);
    private static final Duration BUSY_POLL = Duration.ofMillis(200);
    private final MetadataStore store;
    private final LiveNodes nodes;
    private final ConninfoSecrets secrets;
    private final ChannelReconciler channels;
    private final Map<String, String> unregisteredNodes;
    private final MoveRecovery moves;

    /**
     * @param unregisteredNodes super_conninfo by name of the spec's nodes: those not in the metadata yet may
     *        hold prepared transactions of a RegisterNode step that never committed; they are swept too
     * @param moves the data moves' part: finished (or cleaned up) and orphans swept before the nodes are reconciled
     */
    Recovery(MetadataStore store, LiveNodes nodes, ConninfoSecrets secrets, ChannelReconciler channels, Map<String, String> unregisteredNodes,
             MoveRecovery moves) {
        this.moves = requireNonNull(moves, "moves is null");
        this.store = requireNonNull(store, "store is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.unregisteredNodes = new TreeMap<>(unregisteredNodes);
    }

    /** What was fixed, one line each; throws NODE_FAILURE naming the node when one cannot be reached or repaired. */
    public List<String> recover() {
        return recover(false);
    }

    /**
     * As {@link #recover()}; with {@code skipUnreachable} (apply's own first pass) a node that cannot be
     * reached is reported in a line and left alone: a step that needs it fails naming it.
     */
    public List<String> recover(boolean skipUnreachable) {
        List<String> fixed = new ArrayList<>();
        ClusterState state = store.readState();
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(state, secrets));
        List<NodeState> live = state.nodes().stream().filter(node -> !node.lost() && !moves.markedLost(node.name())).toList();
        state.nodes().stream().filter(node -> !node.lost() && moves.markedLost(node.name()))
                .forEach(node -> fixed.add(node.name() + ": skipped: marked lost in the spec; apply fails it over"));
        Resolved resolved = resolveEverywhere(state, live, reconciler, fixed, skipUnreachable);
        List<NodeState> reachable = resolved.reachable();
        try {
            NodeIdentity.require(reachable, nodes);
        } catch (SQLException unreadable) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the nodes' system identifiers could not be read: " + unreadable.getMessage(),
                    "run recover again");
        }
        boolean noneSkipped = live.size() == state.nodes().stream().filter(node -> !node.lost()).count();
        if (reachable.size() == live.size() && noneSkipped && resolved.unregisteredAnswered() && resolved.busy().isEmpty()) {
            // every node that can hold a shardman gid answered and holds none now: no decision is needed any more
            store.journal().pruneDecisions(Set.of());
        }
        ClusterState lostCounted = markedLostAsLost(state);
        // a client (or a shardman statement) waiting for a lost standby holds locks that finishing a move needs
        fixed.addAll(recoverChannels(() -> channels.releaseSynchronousWaits(lostCounted, reachable), skipUnreachable));
        fixed.addAll(resolveBusy(resolved.busy(), reconciler, skipUnreachable));
        fixed.addAll(finishMoves(skipUnreachable));
        state = store.readState();
        try {
            // before the reconcile: an orphaned copy of a move is not user data to refuse to drop
            fixed.addAll(moves.sweepOrphans(state, reachable));
        } catch (SQLException | ShardmanException failure) {
            fixed.add(failed("moves", failure, skipUnreachable));
        }
        // channels shrink before the nodes are reconciled, as in a step: a table leaves its publication (once the
        // slot confirmed it) before the table it feeds is dropped, so no apply worker meets a missing table
        ClusterState current = state;
        fixed.addAll(recoverChannels(() -> channels.shrink(current, reachable), skipUnreachable));
        NodeReconciler leavingMovesAlone = NodeReconciler.create(PasswordSource.fromState(state, secrets)).excluding(moves.inFlightTables(state));
        for (NodeState node : reachable) {
            try {
                for (ObjectChange change : leavingMovesAlone.reconcile(nodes.connect(node), ExpectedObjects.forNode(state, node.name()), List.of(state))) {
                    fixed.add(node.name() + ": " + change.describe());
                }
            } catch (SQLException | ShardmanException failure) {
                fixed.add(failed(node.name(), failure, skipUnreachable));
            }
        }
        ClusterState withoutMarkedLost = markedLostAsLost(current);
        fixed.addAll(recoverChannels(() -> channels.grow(withoutMarkedLost), skipUnreachable));
        return List.copyOf(fixed);
    }

    /** {@code state} with the nodes the spec marks lost counted lost: no channel to or from them is created or connected to. */
    private ClusterState markedLostAsLost(ClusterState state) {
        return new ClusterState(state.lineage(), state.serial(), state.nodes().stream()
                .map(node -> moves.markedLost(node.name()) ? node.withLost(true) : node).toList(),
                state.tables(), state.partitions(), state.replicas(), state.settings());
    }

    /**
     * The spec's nodes that the metadata does not hold (not registered yet, or removed): prepared transactions of a step
     * that never committed (or of a removal whose COMMIT PREPARED failed) are resolved there too. True when all answered.
     */
    private boolean resolveUnregistered(ClusterState state, NodeReconciler reconciler, List<String> fixed, Map<String, ShardmanException> down,
                                        List<PreparedOn> busy) {
        boolean allAnswered = true;
        for (Map.Entry<String, String> node : unregisteredNodes.entrySet()) {
            if (state.node(node.getKey()).isEmpty()) {
                try {
                    Connection session = connect(node.getKey(), down, () -> nodes.connect(node.getKey(), node.getValue()));
                    fixed.addAll(resolvePrepared(node.getKey(), session, reconciler, busy));
                } catch (SQLException | ShardmanException unreachable) {
                    // Not a node of the cluster: nothing depends on it; a step that registers it fails naming it.
                    allAnswered = false;
                }
            }
        }
        return allAnswered;
    }

    /**
     * The live nodes whose prepared transactions were resolved, whether every node the spec adds answered too, and the
     * prepared transactions a session still held ({@link #resolveBusy}).
     */
    private record Resolved(List<NodeState> reachable, boolean unregisteredAnswered, List<PreparedOn> busy) {
    }

    /**
     * Resolves the {@code shardman_} prepared transactions on {@code live}, on the spec's nodes the metadata does not hold
     * and on the shardlord, the nodes' sessions opened together; a node that cannot be reached is a line in {@code fixed}
     * (or the failure, without {@code skipUnreachable}).
     */
    private Resolved resolveEverywhere(ClusterState state, List<NodeState> live, NodeReconciler reconciler, List<String> fixed,
                                       boolean skipUnreachable) {
        List<PreparedOn> busy = new ArrayList<>();
        Map<String, ShardmanException> down = openTogether(state, live);
        List<NodeState> reachable = new ArrayList<>();
        for (NodeState node : live) {
            try {
                fixed.addAll(resolvePrepared(node.name(), connect(node.name(), down, () -> nodes.connect(node)), reconciler, busy));
                reachable.add(node);
            } catch (SQLException | ShardmanException failure) {
                fixed.add(failed(node.name(), failure, skipUnreachable));
            }
        }
        boolean unregisteredAnswered = resolveUnregistered(state, reconciler, fixed, down, busy);
        resolveShardlord(reconciler, fixed, skipUnreachable, busy);
        return new Resolved(reachable, unregisteredAnswered, List.copyOf(busy));
    }

    /**
     * The sessions of the nodes the first pass visits ({@code live} and the spec's nodes the metadata does not hold), opened
     * together: a hung node costs one connect timeout, not one per node. Returns the nodes that could not be reached.
     */
    private Map<String, ShardmanException> openTogether(ClusterState state, List<NodeState> live) {
        Map<String, String> visited = new TreeMap<>();
        live.forEach(node -> visited.put(node.name(), node.superConninfo()));
        unregisteredNodes.forEach((name, superConninfo) -> {
            if (state.node(name).isEmpty()) {
                visited.put(name, superConninfo);
            }
        });
        return nodes.openTogether(visited);
    }

    /** The node's session; a node that could not be reached when the sessions were opened together fails again at once. */
    private static Connection connect(String node, Map<String, ShardmanException> down, Supplier<Connection> session) {
        ShardmanException unreachable = down.get(node);
        if (unreachable != null) {
            throw unreachable;
        }
        return session.get();
    }

    /**
     * The one part of recovery apply runs before its question: the prepared transactions with a {@code shardman_} gid on every
     * live node (and on the spec's nodes not registered yet) are committed when their step's decision is COMMIT, else rolled
     * back. Their outcome is already decided and they hold locks on user tables, so they must not wait for a person.
     */
    List<String> resolveDecidedTransactions(boolean skipUnreachable) {
        List<String> fixed = new ArrayList<>();
        ClusterState state = store.readState();
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.fromState(state, secrets));
        List<NodeState> live = state.nodes().stream().filter(node -> !node.lost() && !moves.markedLost(node.name())).toList();
        resolveEverywhere(state, live, reconciler, fixed, skipUnreachable);
        return List.copyOf(fixed);
    }

    /** {@code shardman exec --include-shardlord --2pc} prepares its part in the metadata database: resolved like a node's. */
    private void resolveShardlord(NodeReconciler reconciler, List<String> fixed, boolean skipUnreachable, List<PreparedOn> busy) {
        try {
            fixed.addAll(resolvePrepared("shardlord", nodes.shardlord(), reconciler, busy));
        } catch (SQLException | ShardmanException failure) {
            fixed.add(failed("shardlord", failure, skipUnreachable));
        }
    }

    /** Moves whose cutover committed go forward, committed ones are cleaned up ({@link MoveRecovery#finish}). */
    private List<String> finishMoves(boolean skipUnreachable) {
        try {
            return moves.finish();
        } catch (ShardmanException failure) {
            if (failure.code() == ErrorCode.REFUSED) {
                throw failure; // e.g. a data loss that needs --allow-data-loss: nothing changed, the run stops there
            }
            return List.of(failed("moves", failure, skipUnreachable));
        } catch (SQLException failure) {
            return List.of(failed("moves", failure, skipUnreachable));
        }
    }

    /** The line of a node (or part) that could not be recovered; without {@code skipUnreachable} the failure itself. */
    private static String failed(String where, Exception failure, boolean skipUnreachable) {
        String reason = failure instanceof ShardmanException known ? known.summary() : failure.getMessage();
        if (skipUnreachable) {
            return where + ": not recovered: " + reason;
        }
        throw new ShardmanException(ErrorCode.NODE_FAILURE, "recover failed on " + where + ": " + reason, "fix the node and run recover again");
    }

    /** One phase of the replication channels (orphaned subscriptions, publications and slots go in shrink). */
    private static List<String> recoverChannels(ChannelPhase phase, boolean skipUnreachable) {
        try {
            return phase.run();
        } catch (SQLException | ShardmanException failure) {
            String reason = failure instanceof ShardmanException known ? known.summary() : failure.getMessage();
            if (skipUnreachable) {
                return List.of("replication channels: not recovered: " + reason);
            }
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "recover failed on the replication channels: " + reason,
                    "fix the nodes and run recover again");
        }
    }

    private interface ChannelPhase {
        List<String> run() throws SQLException;
    }

    /** Resolves the node's shardman prepared transactions; one that a session still holds goes to {@code busy}. */
    private List<String> resolvePrepared(String node, Connection connection, NodeReconciler reconciler, List<PreparedOn> busy) throws SQLException {
        List<String> fixed = new ArrayList<>();
        String database = currentDatabase(connection);
        for (PreparedTransaction transaction : NodeReconciler.listPreparedShardmanTransactions(connection)) {
            if (!transaction.database().equals(database)) {
                continue;
            }
            PreparedOn prepared = new PreparedOn(node, connection, transaction.gid());
            if (resolve(prepared, reconciler, fixed)) {
                continue;
            }
            busy.add(prepared);
            fixed.add(node + ": prepared transaction " + transaction.gid() + " is busy (the session of an earlier run still prepares it,"
                    + " e.g. waiting for a synchronous standby): resolved once the waits on lost standbys are released");
        }
        return fixed;
    }

    /** Commits or rolls back {@code held} by its step's decision; false when a session still holds it (SQLSTATE 55000, "is busy"). */
    private boolean resolve(PreparedOn held, NodeReconciler reconciler, List<String> fixed) throws SQLException {
        try {
            if (store.journal().decisionFor(held.gid()).equals(Optional.of(Decision.COMMIT))) {
                reconciler.commitPrepared(held.connection(), held.gid());
                fixed.add(held.node() + ": committed prepared transaction " + held.gid() + " (its step was committed)");
            } else {
                reconciler.rollbackPrepared(held.connection(), held.gid());
                fixed.add(held.node() + ": rolled back prepared transaction " + held.gid() + " (its step was never committed)");
            }
            return true;
        } catch (SQLException failure) {
            if (BUSY.equals(failure.getSQLState())) {
                return false;
            }
            throw failure;
        }
    }

    /**
     * The busy prepared transactions again, once the synchronous waits on lost standbys are released: the session that
     * prepared one (an earlier run's, its client gone) ends its wait and lets it go, which takes moments; one still busy
     * after {@link #BUSY_WAIT} is a line (or, for recover, the failure). Left prepared, it would hold its locks on the
     * user's tables, and the steps after recovery would wait for them until their lock timeout (chaos seed 31001).
     */
    private List<String> resolveBusy(List<PreparedOn> found, NodeReconciler reconciler, boolean skipUnreachable) {
        List<String> fixed = new ArrayList<>();
        List<PreparedOn> busy = new ArrayList<>(found);
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        while (!busy.isEmpty()) {
            PreparedOn held = busy.get(0);
            try {
                if (resolve(held, reconciler, fixed)) {
                    busy.remove(0);
                } else if (System.nanoTime() < deadline) {
                    Thread.sleep(BUSY_POLL.toMillis());
                } else {
                    busy.remove(0);
                    fixed.add(failed(held.node(), new IllegalStateException("prepared transaction " + held.gid() + " is still busy after "
                            + BUSY_WAIT.toSeconds() + " s: a session on the node holds it; run recover again once it ends"), skipUnreachable));
                }
            } catch (SQLException | ShardmanException failure) {
                busy.remove(0);
                fixed.add(failed(held.node(), failure, skipUnreachable));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                busy.clear();
            }
        }
        return fixed;
    }

    /** A prepared transaction to resolve on {@code node}'s session. */
    private record PreparedOn(String node, Connection connection, String gid) {
    }

    static String currentDatabase(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT current_database()")) {
            row.next();
            return row.getString(1);
        }
    }
}
