package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.NodeSessions;
import dev.shardman.applier.move.MoveLeftovers;
import dev.shardman.applier.objects.CatalogReads;
import dev.shardman.applier.objects.DriftCode;
import dev.shardman.applier.objects.ForeignServer;
import dev.shardman.applier.objects.ForeignServerProbe;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.PreparedTransaction;
import dev.shardman.applier.replication.ChannelDrift;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * drift-check's reads of one reachable node beyond its objects, on one session: shardman prepared transactions left
 * behind (first, in a round trip of their own: a read that waits behind their locks must not hide them; {@code pending}
 * lists them whatever their age), whether it is still the registered server ({@link NodeIdentity}), {@code shardman_move_}
 * objects of no move in flight, foreign servers the node cannot use and its replication channels ({@code channels},
 * judged with the other nodes' by {@link ChannelDrift}; empty with the {@code failure} when they could not be read). The
 * other catalog reads go in one round trip ({@link CatalogReads}), then the foreign servers are probed.
 */
record NodeDriftReads(List<DriftReport.Drift> drift, List<DriftReport.Prepared> prepared, List<String> pending,
                      Optional<ChannelDrift.NodeChannels> channels, Optional<String> failure) {
    private static final Duration PREPARED_AGE = Duration.ofMinutes(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    /** {@code inFlight}: the channel names of the moves in flight, whose objects are not leftovers. */
    static NodeDriftReads of(ConnectionFactory factory, ClusterState state, NodeState node, Set<String> inFlight) {
        try (Connection connection = factory.connect(ConnectionTarget.node(node.name(), node.superConninfo()))) {
            List<String> database = new ArrayList<>();
            List<PreparedTransaction> transactions = new ArrayList<>();
            CatalogReads first = new CatalogReads(connection);
            first.add("SELECT current_database()", List.of(), rows -> {
                while (rows.next()) {
                    database.add(rows.getString(1));
                }
            });
            NodeReconciler.readPreparedShardmanTransactions(first, transactions);
            first.run();
            List<PreparedTransaction> here = transactions.stream().filter(transaction -> transaction.database().equals(database.get(0))).toList();
            List<DriftReport.Prepared> prepared = leftoverPrepared(here, node);
            List<String> pending = here.stream().map(PreparedTransaction::gid).toList();
            try {
                return others(connection, state, node, inFlight, prepared, pending);
            } catch (SQLException | ShardmanException unreadable) {
                return new NodeDriftReads(List.of(unprobed(node, unreadable)), prepared, pending, Optional.empty(), Optional.of(reason(unreadable)));
            }
        } catch (SQLException | ShardmanException unreadable) {
            return new NodeDriftReads(List.of(unprobed(node, unreadable)), List.of(), List.of(), Optional.empty(), Optional.of(reason(unreadable)));
        }
    }

    private static NodeDriftReads others(Connection connection, ClusterState state, NodeState node, Set<String> inFlight,
            List<DriftReport.Prepared> prepared, List<String> pending) throws SQLException {
        List<MoveLeftovers.Leftover> leftovers = new ArrayList<>();
        List<ForeignServerProbe.Target> servers = new ArrayList<>();
        List<String> identifier = new ArrayList<>();
        List<ChannelDrift.NodeChannels> channels = new ArrayList<>();
        CatalogReads reads = new CatalogReads(connection);
        ChannelDrift.read(reads, node.name(), channels::add);
        MoveLeftovers.read(reads, inFlight, leftovers);
        ForeignServerProbe.readTargets(reads, servers);
        reads.add(NodeIdentity.QUERY, List.of(), rows -> {
            while (rows.next()) {
                identifier.add(rows.getString(1));
            }
        });
        reads.run();
        List<DriftReport.Drift> drift = new ArrayList<>();
        // first: the objects found missing on such a server are its consequence, and recover refuses to repair it
        NodeIdentity.problem(node, identifier.get(0)).ifPresent(problem -> drift.add(new DriftReport.Drift(node.name(), "server",
                DriftCode.OTHER_SERVER, problem)));
        drift.addAll(moveLeftovers(leftovers, node));
        drift.addAll(unusableForeignServers(connection, servers, state, node));
        return new NodeDriftReads(drift, prepared, pending, Optional.of(channels.get(0)), Optional.empty());
    }

    private static List<DriftReport.Drift> moveLeftovers(List<MoveLeftovers.Leftover> leftovers, NodeState node) {
        return leftovers.stream()
                .map(leftover -> new DriftReport.Drift(node.name(), leftover.table().map(table -> "table " + table).orElse(leftover.kind() + " " + leftover.name()),
                        DriftCode.MOVE_LEFTOVER, leftover.describe() + "; recover drops it")).toList();
    }

    /** The foreign servers {@code node} cannot use (a wrong address or TLS setting, a stale password): node pair and libpq error. */
    /**
     * After recover: the foreign servers of every live node that still cannot connect to their peer (a password that the
     * environment does not hold, an address no conninfo gives), which no repair of recover's can mend. A node that does
     * not answer is left out: recover has named it.
     */
    static List<String> unusablePeers(ConnectionFactory factory, ClusterState state) {
        List<String> problems = new ArrayList<>();
        Map<String, String> live = new TreeMap<>();
        state.nodes().stream().filter(node -> !node.lost()).forEach(node -> live.put(node.name(), node.superConninfo()));
        try (NodeSessions sessions = NodeSessions.open(factory, live)) {
            // a peer this process cannot reach either is down, not misconfigured: recover named it
            Set<String> reachable = state.nodes().stream().filter(node -> sessions.reached().containsKey(node.name()))
                    .map(peer -> ForeignServer.nameFor(peer.id())).collect(Collectors.toSet());
            for (NodeState node : state.nodes()) {
                Connection connection = sessions.reached().get(node.name());
                if (connection == null) {
                    continue;
                }
                try {
                    List<ForeignServerProbe.Target> servers = new ArrayList<>();
                    CatalogReads reads = new CatalogReads(connection);
                    ForeignServerProbe.readTargets(reads, servers);
                    reads.run();
                    unusableForeignServers(connection, servers.stream().filter(target -> reachable.contains(target.server())).toList(), state, node)
                            .stream().filter(finding -> finding.code() == DriftCode.PEER_UNREACHABLE).forEach(finding -> problems.add(finding.problem()));
                } catch (SQLException | ShardmanException unreadable) {
                    // a node that fails now: recover's own lines say what it could not do
                }
            }
        }
        return problems;
    }

    private static List<DriftReport.Drift> unusableForeignServers(Connection connection, List<ForeignServerProbe.Target> servers, ClusterState state,
            NodeState node) {
        // a lost node's server is fenced on purpose: that it cannot connect is what it is for
        Set<String> fenced = state.nodes().stream().filter(NodeState::lost).map(peer -> ForeignServer.nameFor(peer.id())).collect(Collectors.toSet());
        List<ForeignServerProbe.Target> usable = servers.stream().filter(target -> !fenced.contains(target.server())).toList();
        try {
            return new ForeignServerProbe(PROBE_TIMEOUT).probe(connection, usable).stream()
                    .map(failure -> new DriftReport.Drift(node.name(), "foreign server " + failure.server(), DriftCode.PEER_UNREACHABLE, node.name() + " → "
                            + state.nodes().stream().filter(peer -> ForeignServer.nameFor(peer.id()).equals(failure.server()))
                                    .map(NodeState::name).findFirst().orElse("?")
                            + " cannot connect (" + failure.error() + "); fix the peer's conninfo or environment, then run recover"))
                    .toList();
        } catch (SQLException | ShardmanException unreadable) {
            return List.of(unprobed(node, unreadable));
        }
    }

    private static DriftReport.Drift unprobed(NodeState node, Exception unreadable) {
        return new DriftReport.Drift(node.name(), "foreign servers", DriftCode.UNREADABLE, "could not be probed: " + reason(unreadable));
    }

    private static String reason(Exception unreadable) {
        return unreadable instanceof ShardmanException known ? known.summary() : unreadable.getMessage();
    }

    private static List<DriftReport.Prepared> leftoverPrepared(List<PreparedTransaction> transactions, NodeState node) {
        List<DriftReport.Prepared> result = new ArrayList<>();
        for (PreparedTransaction transaction : transactions) {
            if (transaction.prepared().isBefore(Instant.now().minus(PREPARED_AGE))) {
                result.add(new DriftReport.Prepared(node.name(), transaction.gid(), transaction.prepared().toString()));
            }
        }
        return result;
    }
}
