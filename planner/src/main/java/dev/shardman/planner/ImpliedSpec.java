package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.IndexSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.spec.Positions;
import dev.shardman.model.spec.SettingsSpec;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The spec that the recorded metadata implies: planned against that state it gives an empty plan. Marking one node
 * lost in it gives exactly the failover a {@code lost: true} edit of that node would plan, and nothing of the edits a
 * user's spec may hold that were not applied yet (the monitor's automatic failover plans from it). One exception:
 * node weights and pins are not recorded in the metadata (the placement they led to is), so they are taken from the
 * user's spec; without them the implied plan would rebalance a weighted or pinned cluster back to even counts.
 * Pins that name a node the state does not hold as live are left out (a lost node holds nothing; a new one is not
 * there yet).
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
                state.settings().maxReplicationLagBytes(), base.settings().nodeTimeout(), state.settings().failover(), base.settings().balance(),
                Positions.UNKNOWN);
        List<NodeSpec> nodes = state.nodes().stream().map(node -> node(node, lost.test(node), base)).toList();
        Set<String> liveNodes = nodes.stream().filter(node -> !node.lost()).map(NodeSpec::name).collect(Collectors.toSet());
        List<TableSpec> tables = state.tables().stream().map(table -> table(table, pins(base, table, liveNodes))).toList();
        return new ClusterSpec(base.file(), base.cluster(), base.shardlord(), settings, nodes, tables, Positions.UNKNOWN);
    }

    private static NodeSpec node(NodeState node, boolean lost, ClusterSpec base) {
        BigDecimal weight = base.node(node.name()).map(NodeSpec::weight).orElse(BigDecimal.ONE);
        return new NodeSpec(node.name(), node.superConninfo(), node.conninfo(), node.replicationGroup(), lost, Positions.UNKNOWN, weight);
    }

    /** The user's pins of {@code table} that fit the recorded table and name only live nodes of the state. */
    private static List<PartitionPin> pins(ClusterSpec base, TableState table, Set<String> liveNodes) {
        if (!table.isSharded() || table.colocateWith().isPresent()) {
            return List.of();
        }
        return base.table(table.name()).map(TableSpec::placement).orElse(List.of()).stream()
                .filter(pin -> pin.partition() < table.partitions() && pin.nodes().size() <= table.redundancy() + 1
                        && liveNodes.containsAll(pin.nodes()))
                .toList();
    }

    private static TableSpec table(TableState table, List<PartitionPin> pins) {
        return new TableSpec(table.name(), table.schema(), table.type(),
                table.columns().stream().map(column -> new ColumnSpec(column.name(), column.type(), column.nullable(),
                        column.defaultExpression(), Positions.UNKNOWN)).toList(),
                table.primaryKey(),
                table.indexes().stream().map(index -> new IndexSpec(index.name(), index.columns(), index.unique(), Positions.UNKNOWN)).toList(),
                table.shardingKey(), table.partitions(), table.redundancy(), table.colocateWith(), table.master(), Positions.UNKNOWN,
                table.grants(), pins);
    }
}
