package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.NodeConnections;
import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.objects.NodeCleanup;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.PreparedTransaction;
import dev.shardman.applier.replication.ReplicationCleanup;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code shardman wipe-state}: removes shardman's objects from a node that left the cluster for good (not in
 * the metadata, or marked lost there and come back), keeping its tables with data, fenced: renamed
 * {@code <name>_stale} so that no client reaches stale rows by the old names ({@link NodeCleanup.DataTables#FENCE}).
 * Refuses, changing nothing, a node the metadata holds as a live member (remove it from the spec and apply
 * instead: that drains and cleans it). Under the cluster lock; order: the node's undecided {@code shardman_}
 * prepared transactions are rolled back (their steps are decided without it), its replication objects go
 * ({@link ReplicationCleanup}), then its catalog objects in one transaction. A dry run lists the same lines.
 */
public final class WipeState {
    public static final String APPLICATION_NAME = "shardman-wipe-state";
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    /** What was (or, in a dry run, would be) removed from {@code node}, one line each. */
    public record Report(String node, boolean dryRun, List<String> actions) {
        public Report {
            requireNonNull(node, "node is null");
            actions = List.copyOf(actions);
        }
    }

    private final ConnectionFactory factory;

    public WipeState(ConnectionFactory factory) {
        this.factory = requireNonNull(factory, "factory is null");
    }

    public static WipeState fromEnvironment() {
        return new WipeState(ConnectionFactory.fromEnvironment(APPLICATION_NAME));
    }

    /** @param superConninfo the node's superuser conninfo when neither the spec nor the metadata has it */
    public Report wipe(ClusterSpec spec, String node, Optional<String> superConninfo, boolean dryRun) {
        ConnectionFactory sessions = factory.withNodeTimeout(spec.settings().nodeTimeout());
        try (NodeConnections connections = new NodeConnections(sessions, spec.shardlord());
             Connection lockSession = sessions.connect(ConnectionTarget.shardlord(spec.shardlord()))) {
            MetadataStore.requireCluster(connections.shardlord(), spec.cluster());
            MetadataStore store = MetadataStore.open(connections.shardlord());
            try (ClusterLock ignored = ClusterLock.acquire(lockSession, "wipe-state", Optional.empty())) {
                ClusterState state = store.readState();
                Optional<NodeState> member = state.node(node);
                if (member.isPresent() && !member.get().lost()) {
                    throw new ShardmanException(ErrorCode.REFUSED, node + " is a live member of the cluster; nothing was changed",
                            "to take it out, remove it from the spec and run apply (that drains it and cleans it up); if it is gone for good, "
                                    + "mark it lost: true and apply first");
                }
                String conninfo = superConninfo.or(() -> spec.nodes().stream().filter(candidate -> candidate.name().equals(node))
                        .map(NodeSpec::superConninfo).findFirst()).or(() -> member.map(NodeState::superConninfo))
                        .orElseThrow(() -> new ShardmanException(ErrorCode.INVALID_INPUT, "no conninfo for " + node
                                + ": it is neither in the spec nor in the metadata", "give it with --conninfo"));
                Connection connection = connections.node(node, conninfo);
                return new Report(node, dryRun, dryRun ? plan(connection, node, state) : run(connection, node, state));
            }
        } catch (SQLException failure) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "wipe-state of " + node + " failed: " + failure.getMessage(),
                    "fix the cause and run wipe-state again: it redoes what is left");
        }
    }

    private static List<String> plan(Connection connection, String node, ClusterState state) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (PreparedTransaction transaction : preparedHere(connection)) {
            lines.add("rolled back prepared transaction " + transaction.gid());
        }
        lines.addAll(new ReplicationCleanup().plan(connection, node));
        new NodeCleanup().plan(connection, node, List.of(state), NodeCleanup.DataTables.FENCE).forEach(action -> lines.add(action.description()));
        return lines;
    }

    private static List<String> run(Connection connection, String node, ClusterState state) throws SQLException {
        List<String> lines = new ArrayList<>();
        NodeReconciler reconciler = NodeReconciler.create(PasswordSource.none());
        for (PreparedTransaction transaction : preparedHere(connection)) {
            reconciler.rollbackPrepared(connection, transaction.gid());
            lines.add("rolled back prepared transaction " + transaction.gid());
        }
        lines.addAll(new ReplicationCleanup().run(connection, node));
        new NodeCleanup().clean(connection, node, List.of(state), NodeCleanup.DataTables.FENCE, LOCK_TIMEOUT, Optional.empty())
                .forEach(action -> lines.add(action.description()));
        return lines;
    }

    private static List<PreparedTransaction> preparedHere(Connection connection) throws SQLException {
        String database = Recovery.currentDatabase(connection);
        return NodeReconciler.listPreparedShardmanTransactions(connection).stream().filter(transaction -> transaction.database().equals(database))
                .toList();
    }
}
