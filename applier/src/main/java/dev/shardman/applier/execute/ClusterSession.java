package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.connect.NodeConnections;
import dev.shardman.applier.connect.NodeSessions;
import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.move.MoveConnections;
import dev.shardman.applier.move.MoveEvents;
import dev.shardman.applier.move.MoveRecovery;
import dev.shardman.applier.move.MoveRunner;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What one command that changes the cluster (apply, recover, the monitor's resolution) works with, opened once under
 * the cluster lock and passed as one value: the connections, the metadata store fenced by the lock, the channel
 * reconciler, the fault points and the secrets that conninfo references resolve from.
 */
final class ClusterSession implements AutoCloseable {
    private final ClusterSpec spec;
    private final ConnectionFactory sessions;
    private final NodeConnections connections;
    private final Connection lockSession;
    private final ClusterLock lock;
    private final MetadataStore store;
    private final LiveNodes nodes;
    private final ChannelReconciler channels;
    private final ConninfoSecrets secrets;
    private final FaultHook faults;
    private Set<String> leavingNodes;

    private ClusterSession(ClusterSpec spec, ConnectionFactory sessions, NodeConnections connections, Connection lockSession, ClusterLock lock,
                           MetadataStore unfenced, ConninfoSecrets secrets, FaultHook faults) {
        this.spec = spec;
        this.sessions = sessions;
        this.connections = connections;
        this.lockSession = lockSession;
        this.lock = lock;
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.store = fenced(unfenced);
        this.nodes = new LiveNodes(connections);
        this.channels = new ChannelReconciler(nodes::connect, secrets);
        this.faults = requireNonNull(faults, "faults is null");
    }

    /**
     * Connects to the shardlord (migrating its schema) and takes the cluster lock for {@code command}; LOCK_HELD names
     * the holder. Whatever was opened is closed again when this fails.
     */
    static ClusterSession open(ConnectionFactory factory, ClusterSpec spec, ConninfoSecrets secrets, FaultHook faults, String command,
                               Optional<String> planId) {
        requireNonNull(spec, "spec is null");
        ConnectionFactory sessions = factory.withNodeTimeout(spec.settings().nodeTimeout());
        NodeConnections connections = new NodeConnections(sessions, spec.shardlord());
        Connection lockSession = null;
        ClusterLock lock = null;
        try {
            lockSession = sessions.connect(ConnectionTarget.shardlord(spec.shardlord()));
            // the schema is migrated before the lock is asked for: the lock lives in it (and only in the spec's cluster's database)
            MetadataStore.requireCluster(connections.shardlord(), spec.cluster());
            MetadataStore unfenced = MetadataStore.open(connections.shardlord());
            lock = ClusterLock.acquire(lockSession, command, planId);
            return new ClusterSession(spec, sessions, connections, lockSession, lock, unfenced, secrets, faults);
        } catch (RuntimeException failure) {
            closeQuietly(lock, lockSession, connections, failure);
            throw failure;
        }
    }

    ClusterSpec spec() {
        return spec;
    }

    /** Opens connections with the spec's node timeout (and the command's ApplicationName). */
    ConnectionFactory sessions() {
        return sessions;
    }

    /** This command's sessions of the spec's nodes not marked lost, lent (closing them leaves them open), opened together where needed. */
    NodeSessions specNodeSessions() {
        return connections.borrowTogether(NodeSessions.notLost(spec));
    }

    /** New node sessions from {@code during} until the scope closes ({@link NodeConnections#connectingWith}). */
    NodeConnections.Scope connectingWith(ConnectionFactory during) {
        return connections.connectingWith(during);
    }

    ClusterLock lock() {
        return lock;
    }

    MetadataStore store() {
        return store;
    }

    LiveNodes nodes() {
        return nodes;
    }

    ChannelReconciler channels() {
        return channels;
    }

    ConninfoSecrets secrets() {
        return secrets;
    }

    FaultHook faults() {
        return faults;
    }

    /** The command's shared node connections, and fresh ones (same ApplicationName) for a move's second sessions. */
    MoveConnections moveConnections() {
        return moveConnections(sessions, nodes);
    }

    /**
     * Own sessions for the moves that copy ahead of their turn ({@link MovesAhead}): a node connection each and a
     * metadata store fenced by this command's lock, so that a copy ahead never commits for a holder that lost it.
     */
    MovesAhead.Sessions aheadSessions() {
        NodeConnections own = new NodeConnections(sessions, spec.shardlord());
        try {
            return new MovesAhead.Sessions(fenced(MetadataStore.open(own.shardlord())), moveConnections(sessions, new LiveNodes(own)), own);
        } catch (RuntimeException failure) {
            own.close();
            throw failure;
        }
    }

    /** {@code store} fenced by this command's lock, reconnecting to the shardlord with this command's sessions. */
    private MetadataStore fenced(MetadataStore store) {
        return store.fencedBy(lock, () -> sessions.connect(ConnectionTarget.shardlord(spec.shardlord())));
    }

    /** The moves' recovery for this command: moves of nodes the spec drops keep their retired copies, those of lost nodes are abandoned. */
    MoveRecovery moveRecovery(boolean allowDataLoss, MoveEvents events) {
        return new MoveRecovery(store, moveConnections(), secrets, channels, leavingNodes(), lostNodes(spec), allowDataLoss, events);
    }

    /** The moves' runner for this command. */
    MoveRunner moveRunner(MoveEvents events) {
        return new MoveRunner(store, moveConnections(), secrets, channels, leavingNodes(), events);
    }

    /** Recovery of the nodes for this command, with {@code moves} as its data moves' part. */
    Recovery recovery(MoveRecovery moves) {
        Map<String, String> specNodes = spec.nodes().stream().collect(Collectors.toMap(NodeSpec::name, NodeSpec::superConninfo));
        return new Recovery(store, nodes, secrets, channels, specNodes, moves);
    }

    /**
     * The nodes of the metadata that the spec does not name any more: their moves keep the retired copies. Read once, at
     * the first use (before recovery), as the command's moves and recovery must agree on them.
     */
    private Set<String> leavingNodes() {
        if (leavingNodes == null) {
            Set<String> named = spec.nodes().stream().map(NodeSpec::name).collect(Collectors.toSet());
            leavingNodes = store.readState().nodes().stream().map(NodeState::name).filter(name -> !named.contains(name))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        return leavingNodes;
    }

    /** The nodes the spec marks {@code lost: true}: moves touching them are abandoned without connecting to them. */
    static Set<String> lostNodes(ClusterSpec spec) {
        return spec.nodes().stream().filter(NodeSpec::lost).map(NodeSpec::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code nodes}' shared connections, and fresh ones from {@code sessions} for a move's second sessions. */
    static MoveConnections moveConnections(ConnectionFactory sessions, LiveNodes nodes) {
        return new MoveConnections() {
            @Override
            public Connection shared(NodeState node) {
                return nodes.connect(node);
            }

            @Override
            public Connection open(NodeState node) {
                return sessions.connect(ConnectionTarget.node(node.name(), node.superConninfo()));
            }
        };
    }

    /** Releases the lock, then closes the lock's session and the node connections; a failure to close is thrown after all were tried. */
    @Override
    public void close() throws SQLException {
        try {
            lock.close();
        } finally {
            try {
                lockSession.close();
            } finally {
                connections.close();
            }
        }
    }

    private static void closeQuietly(ClusterLock lock, Connection lockSession, NodeConnections connections, RuntimeException failure) {
        try {
            if (lock != null) {
                lock.close();
            }
            if (lockSession != null) {
                lockSession.close();
            }
        } catch (SQLException | RuntimeException closing) {
            failure.addSuppressed(closing);
        } finally {
            connections.close();
        }
    }
}
