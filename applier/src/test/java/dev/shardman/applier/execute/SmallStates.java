package dev.shardman.applier.execute;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small cluster states for the step-scope and channel tests: two-partition tables, the first partition on w1, the second on the last node. */
final class SmallStates {
    static final NodeState W1 = new NodeState(1, "w1", Optional.empty(), "host=a", Optional.empty(), "rg1", false);
    static final NodeState W2 = new NodeState(2, "w2", Optional.empty(), "host=b", Optional.empty(), "rg1", false);

    private SmallStates() {
    }

    static TableState table(String name) {
        return new TableState(name, "public", TableType.SHARDED, List.of(new ColumnState("id", "bigint", false, Optional.empty())),
                List.of("id"), List.of(), Optional.of("id"), 2, 0, Optional.empty(), Optional.empty());
    }

    static ClusterState state(List<NodeState> nodes, List<TableState> tables, List<ReplicaState> replicas) {
        List<PartitionState> partitions = new ArrayList<>();
        for (TableState table : tables) {
            partitions.add(new PartitionState(table.name(), 0, "w1"));
            partitions.add(new PartitionState(table.name(), 1, nodes.get(nodes.size() - 1).name()));
        }
        return ClusterState.withDefaultSettings("lineage", 3, nodes, tables, partitions, replicas);
    }
}
