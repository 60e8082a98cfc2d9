package dev.shardman.applier.replication;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The first half of the promotion primitive (issue 6 builds failover on it): how far each replica of
 * a partition has received from its primary, read from {@code pg_replication_origin_status.remote_lsn}
 * of the replica holder's subscription origin ({@code pg_<subscription oid>}), which is durable and
 * stays readable when the primary is gone (pg_stat_subscription shows NULL then). The most advanced
 * replica is the one to promote. Replica holders that cannot be reached are left out.
 */
public final class ReplicaProgress {
    private static final String RECEIVED = """
            SELECT s.remote_lsn::text
            FROM pg_catalog.pg_subscription sub
            JOIN pg_catalog.pg_replication_origin o ON o.roname = 'pg_' || sub.oid
            JOIN pg_catalog.pg_replication_origin_status s ON s.local_id = o.roident
            WHERE sub.subname = ?""";

    /** One replica holder and the primary's WAL position its subscription has received up to. */
    public record Position(String node, String lsn) {
        public Position {
            requireNonNull(node, "node is null");
            requireNonNull(lsn, "lsn is null");
        }

        /** The LSN as an unsigned 64-bit number, for ordering ({@code X/Y} in hex). */
        public long value() {
            int slash = lsn.indexOf('/');
            return (Long.parseUnsignedLong(lsn.substring(0, slash), 16) << 32) | Long.parseUnsignedLong(lsn.substring(slash + 1), 16);
        }
    }

    private ReplicaProgress() {
    }

    /** Every reachable replica holder of {@code partition} with its received position, most advanced first. */
    public static List<Position> positions(ClusterState state, String partition, Function<NodeState, Connection> connections) {
        PartitionState primary = state.partitions().stream().filter(candidate -> candidate.name().equals(partition)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no partition " + partition));
        NodeState source = state.node(primary.node()).orElseThrow();
        List<Position> result = new ArrayList<>();
        for (String holder : state.replicaNodesOf(partition)) {
            NodeState replica = state.node(holder).orElseThrow();
            if (replica.lost()) {
                continue;
            }
            String subscription = Channel.forReplicas(source, replica, List.of()).subscription();
            try (PreparedStatement statement = connections.apply(replica).prepareStatement(RECEIVED)) {
                statement.setString(1, subscription);
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getString(1) != null) {
                        result.add(new Position(holder, row.getString(1)));
                    }
                }
            } catch (SQLException | RuntimeException unreachable) {
                // not a candidate
            }
        }
        result.sort(Comparator.comparingLong(Position::value).reversed().thenComparing(Position::node));
        return List.copyOf(result);
    }

    /** The replica holder to promote: the one whose subscription has received the most. */
    public static Optional<Position> mostAdvanced(ClusterState state, String partition, Function<NodeState, Connection> connections) {
        return positions(state, partition, connections).stream().findFirst();
    }
}
