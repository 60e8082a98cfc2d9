package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.IndexSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.Positions;
import dev.shardman.model.spec.SettingsSpec;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;

import java.util.List;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The spec that the recorded metadata implies: planned against that state it gives an empty plan. Marking one node
 * lost in it gives exactly the failover a {@code lost: true} edit of that node would plan, and nothing of the edits a
 * user's spec may hold that were not applied yet (the monitor's automatic failover plans from it).
 */
public final class ImpliedSpec {
    private ImpliedSpec() {
    }

    /** The spec that plans nothing from {@code state}; {@code base} gives its file, cluster name, shardlord and client-side settings. */
    public static ClusterSpec of(ClusterSpec base, ClusterState state) {
        return implied(base, state, NodeState::lost);
    }

    /** As {@link #of}, with {@code lost} (a node of the state) marked lost. */
    public static ClusterSpec withNodeLost(ClusterSpec base, ClusterState state, String lost) {
        requireNonNull(lost, "lost is null");
        if (state.node(lost).isEmpty()) {
            throw new IllegalArgumentException("no node " + lost + " in the state");
        }
        return implied(base, state, node -> node.lost() || node.name().equals(lost));
    }

    private static ClusterSpec implied(ClusterSpec base, ClusterState state, Predicate<NodeState> lost) {
        SettingsSpec settings = new SettingsSpec(state.settings().syncReplication(), base.settings().defaultPartitions(),
                state.settings().maxReplicationLagBytes(), base.settings().nodeTimeout(), state.settings().failover(), Positions.UNKNOWN);
        List<NodeSpec> nodes = state.nodes().stream().map(node -> node(node, lost.test(node))).toList();
        List<TableSpec> tables = state.tables().stream().map(ImpliedSpec::table).toList();
        return new ClusterSpec(base.file(), base.cluster(), base.shardlord(), settings, nodes, tables, Positions.UNKNOWN);
    }

    private static NodeSpec node(NodeState node, boolean lost) {
        return new NodeSpec(node.name(), node.superConninfo(), node.conninfo(), node.replicationGroup(), lost, Positions.UNKNOWN);
    }

    private static TableSpec table(TableState table) {
        return new TableSpec(table.name(), table.schema(), table.type(),
                table.columns().stream().map(column -> new ColumnSpec(column.name(), column.type(), column.nullable(),
                        column.defaultExpression(), Positions.UNKNOWN)).toList(),
                table.primaryKey(),
                table.indexes().stream().map(index -> new IndexSpec(index.name(), index.columns(), index.unique(), Positions.UNKNOWN)).toList(),
                table.shardingKey(), table.partitions(), table.redundancy(), table.colocateWith(), table.master(), Positions.UNKNOWN,
                table.grants());
    }
}
