package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.NodeSessions;
import dev.shardman.applier.metadata.JournalEntry;
import dev.shardman.applier.metadata.LockHolder;
import dev.shardman.applier.metadata.StepStatus;
import dev.shardman.applier.replication.ChannelStatus;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * status: the cluster as the metadata records it, with each node's reachability and server version
 * (read-only, no lock): nodes, tables, partitions per node, serial and lineage, lock holder, last apply,
 * and each replication channel with its walsender state, lag (bytes, seconds) and initial sync progress.
 */
public record StatusReport(String cluster, String lineage, long serial, List<Node> nodes, List<Table> tables, Optional<String> lockHolder,
                           Optional<LastApply> lastApply, List<String> warnings, List<ChannelStatus> channels) {
    public static final String APPLICATION_NAME = "shardman-status";

    public StatusReport {
        requireNonNull(cluster, "cluster is null");
        nodes = List.copyOf(nodes);
        tables = List.copyOf(tables);
        warnings = List.copyOf(warnings);
        channels = List.copyOf(channels);
    }

    public record Node(String name, long id, String replicationGroup, boolean lost, boolean reachable, String serverVersion,
                       int primaries, int replicas) {
    }

    /** A sharded table by partitions and redundancy; a shared table by its master and the nodes holding its copies. */
    public record Table(String name, String type, int partitions, int redundancy, Optional<String> master, List<String> copies) {
        public Table {
            requireNonNull(master, "master is null");
            copies = List.copyOf(copies);
        }
    }

    /** The most recent plan run in the journal: its steps by status, when it started and ended, the failure if any. */
    public record LastApply(String planId, String startedAt, String finishedAt, int steps, int done, int failed, Optional<String> error) {
    }

    public static StatusReport read(ConnectionFactory connections, String clusterName, String shardlordConninfo, List<String> warnings) {
        // as drift-check: a read behind a lock that a prepared transaction holds must not wait out the node timeout
        ConnectionFactory factory = connections.withLockTimeout(DriftCheck.READ_LOCK_WAIT);
        LiveMetadata live = LiveMetadata.read(factory, clusterName, shardlordConninfo);
        ClusterState state = live.state();
        Map<String, String> liveNodes = new LinkedHashMap<>();
        state.nodes().stream().filter(node -> !node.lost()).forEach(node -> liveNodes.put(node.name(), node.superConninfo()));
        // every live node at once: status is what an operator runs when a node hangs
        try (NodeSessions sessions = NodeSessions.open(factory, liveNodes)) {
            List<Node> nodes = new ArrayList<>();
            for (NodeState node : state.nodes()) {
                Optional<String> version = node.lost() ? Optional.empty() : serverVersion(sessions, node);
                int primaries = (int) state.partitions().stream().filter(partition -> partition.node().equals(node.name())).count();
                int replicas = (int) state.replicas().stream().filter(replica -> replica.node().equals(node.name())).count();
                nodes.add(new Node(node.name(), node.id(), node.replicationGroup(), node.lost(), version.isPresent(), version.orElse(""),
                        primaries, replicas));
            }
            List<Table> tables = state.tables().stream().map(table -> table(state, table)).toList();
            return new StatusReport(clusterName, state.lineage(), state.serial(), nodes, tables, live.lockHolder().map(LockHolder::describe),
                    lastApply(live.lastRun(), live.lastRunPlannedSteps()), warnings, ChannelStatus.read(state, node -> sessions.session(node.name())));
        }
    }

    /** A shared table's copies are on every live node but its master (what replication keeps equal to it). */
    private static Table table(ClusterState state, TableState table) {
        if (table.isSharded()) {
            return new Table(table.name(), "sharded", table.partitions(), table.redundancy(), Optional.empty(), List.of());
        }
        List<String> copies = state.nodes().stream().filter(node -> !node.lost() && !table.master().equals(Optional.of(node.name())))
                .map(NodeState::name).sorted().toList();
        return new Table(table.name(), "shared", table.partitions(), table.redundancy(), table.master(), copies);
    }

    /** The steps of the run are its plan's (recorded before its first step) when known: the journal holds only those that started. */
    private static Optional<LastApply> lastApply(List<JournalEntry> run, OptionalInt plannedSteps) {
        if (run.isEmpty()) {
            return Optional.empty();
        }
        int done = (int) run.stream().filter(entry -> entry.status() == StepStatus.DONE || entry.status() == StepStatus.COMMITTED).count();
        int failed = (int) run.stream().filter(entry -> entry.status() == StepStatus.FAILED).count();
        JournalEntry last = run.get(run.size() - 1);
        return Optional.of(new LastApply(run.get(0).planId(), run.get(0).startedAt().toString(),
                last.finishedAt().map(Object::toString).orElse(""), plannedSteps.orElse(run.size()), done, failed,
                run.stream().flatMap(entry -> entry.error().stream()).findFirst()));
    }

    private static Optional<String> serverVersion(NodeSessions sessions, NodeState node) {
        try (Statement statement = sessions.session(node.name()).createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('server_version')")) {
            row.next();
            return Optional.of(row.getString(1));
        } catch (SQLException | ShardmanException unreachable) {
            return Optional.empty();
        }
    }
}
