package dev.shardman.applier.execute;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.UpdateSettings;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What plan advises but does not refuse: settings that make initial copies wait their turn. An unbounded {@code max_slot_wal_keep_size} (-1) on a node with
 * slots is a warning, not a refusal: a bound protects the source's disk from a stuck replica, but a replica
 * that falls further behind loses its slot and must be re-created, a trade-off for the operator. Where
 * {@link DestinationDisk} cannot read a move destination's free disk (not over SQL, and shardman not on its host),
 * plan names what that destination receives instead.
 */
final class PreflightWarnings {
    private static final String SIZE = """
            SELECT coalesce(sum(pg_catalog.pg_total_relation_size(c.oid)), 0)
            FROM unnest(?::text[], ?::text[]) AS wanted(schema_name, relation_name)
            JOIN pg_catalog.pg_namespace n ON n.nspname = wanted.schema_name
            JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = wanted.relation_name""";

    private PreflightWarnings() {
    }

    /** {@code uncheckedDisk}: the bytes the plan moves to each destination whose free disk {@link DestinationDisk} could not read. */
    static List<String> of(Map<String, NodeRequirements.ServerFacts> facts, Map<String, ChannelDemand> demands, Map<String, Long> uncheckedDisk) {
        List<String> warnings = new ArrayList<>();
        facts.forEach((node, server) -> warnings.addAll(NodeRequirements.slowCopies(server, demands.getOrDefault(node, ChannelDemand.NONE))));
        facts.forEach((node, server) -> {
            if (server.maxSlotWalKeepSizeMegabytes() < 0 && demands.containsKey(node) && demands.get(node).slots() > 0) {
                warnings.add(node + ": max_slot_wal_keep_size is -1 (unbounded): a replica that stops consuming keeps WAL on " + node
                        + " until its disk fills; set a bound larger than the WAL of the longest replica outage you accept, e.g."
                        + " ALTER SYSTEM SET max_slot_wal_keep_size = '16GB'; SELECT pg_reload_conf();");
            }
        });
        new TreeMap<>(uncheckedDisk).forEach((node, bytes) -> warnings.add(node + ": free disk space not checked (PostgreSQL does not"
                + " report it over SQL, and shardman does not run on " + node + "'s host or cannot read its data directory): the plan moves "
                + bytes + " bytes of partitions to " + node + " (their size on the source), plus the WAL written meanwhile; make sure it has room"));
        return warnings;
    }

    /**
     * A plan that turns {@code sync_replication} on, in a cluster that will have replicated tables (redundancy 1 or more,
     * or shared) beside sharded tables without replicas: {@code synchronous_standby_names} is per server, so the
     * commits that write only the latter wait for the standbys too. One warning naming them, with the measured cost.
     */
    static List<String> syncReplicationCost(List<Step> steps, ClusterState after) {
        boolean turnedOn = steps.stream().anyMatch(step -> step instanceof UpdateSettings update && update.to().syncReplication()
                && !update.from().syncReplication());
        boolean replicated = after.tables().stream().anyMatch(table -> table.type() == TableType.SHARED || table.redundancy() > 0);
        List<String> unreplicated = after.tables().stream().filter(table -> table.type() == TableType.SHARDED && table.redundancy() == 0)
                .map(table -> table.schema() + "." + table.name()).sorted().toList();
        if (!turnedOn || !replicated || unreplicated.isEmpty()) {
            return List.of();
        }
        return List.of("sync_replication makes every commit on a node wait for its replica holders, also the commits that write only tables"
                + " without replicas (" + String.join(", ", unreplicated) + "): bench/run-dataplane.sh measured their inserts at 0.7-0.8× of"
                + " their rate without it; a session that writes only those tables can SET synchronous_commit = local for the rows its node"
                + " holds (docs/application.md, \"Synchronous replication\")");
    }

    /** Per destination, the bytes of the partitions the plan moves there (their size on the source; unreachable sources count 0). */
    static Map<String, Long> incomingBytes(List<Step> steps, ClusterState before, Map<String, Connection> connections) throws SQLException {
        Map<String, Long> incoming = new TreeMap<>();
        for (Step step : steps) {
            if (step instanceof MovePrimary move && connections.containsKey(move.from())) {
                incoming.merge(move.to(), size(connections.get(move.from()), move.unit(), before), Long::sum);
            } else if (step instanceof MoveReplica move && connections.containsKey(move.primary())) {
                incoming.merge(move.to(), size(connections.get(move.primary()), move.unit(), before), Long::sum);
            }
        }
        return incoming;
    }

    private static long size(Connection source, PartitionUnit unit, ClusterState before) throws SQLException {
        List<String> schemas = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String table : unit.tables()) {
            schemas.add(before.table(table).map(TableState::schema).orElse("public"));
            names.add(PartitionState.name(table, unit.index()));
        }
        try (PreparedStatement statement = source.prepareStatement(SIZE)) {
            Array schemaArray = source.createArrayOf("text", schemas.toArray());
            Array nameArray = source.createArrayOf("text", names.toArray());
            statement.setArray(1, schemaArray);
            statement.setArray(2, nameArray);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
