package dev.shardman.applier.objects;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/** Hand-built states: two colocated sharded tables (customers, orders) like examples/cluster.yaml, round-robin over the nodes. */
final class TestStates {
    private TestStates() {
    }

    static NodeState node(long id, String superConninfo) {
        return new NodeState(id, "w" + id, Optional.empty(), superConninfo, Optional.empty(), "rg1", false);
    }

    static TableState customers(int partitions) {
        return new TableState("customers", "public", TableType.SHARDED, List.of(
                new ColumnState("id", "bigint", false, Optional.empty()),
                new ColumnState("name", "text", false, Optional.of("''")),
                new ColumnState("country", "char(2)", true, Optional.empty()),
                new ColumnState("created_at", "timestamptz", false, Optional.of("now()"))),
                List.of("id"), List.of(new IndexState("customers_country_idx", List.of("country"), false)),
                Optional.of("id"), partitions, 0, Optional.empty(), Optional.empty());
    }

    static TableState orders(int partitions) {
        return new TableState("orders", "public", TableType.SHARDED, List.of(
                new ColumnState("customer_id", "bigint", false, Optional.empty()),
                new ColumnState("order_id", "int8", false, Optional.empty()),
                new ColumnState("amount", "numeric(12,2)", false, Optional.of("0")),
                new ColumnState("ordered_at", "timestamptz", false, Optional.of("now()"))),
                List.of("customer_id", "order_id"), List.of(new IndexState("orders_ordered_at_idx", List.of("ordered_at"), false)),
                Optional.of("customer_id"), partitions, 0, Optional.of("customers"), Optional.empty());
    }

    /** Nodes w1..wN (conninfo by number), the given tables, partition n on node (n mod N) + 1. */
    static ClusterState state(int nodeCount, IntFunction<String> conninfo, TableState... tables) {
        List<NodeState> nodes = new ArrayList<>();
        for (int id = 1; id <= nodeCount; id++) {
            nodes.add(node(id, conninfo.apply(id)));
        }
        List<PartitionState> partitions = new ArrayList<>();
        for (TableState table : tables) {
            for (int index = 0; index < table.partitions(); index++) {
                partitions.add(new PartitionState(table.name(), index, "w" + (index % nodeCount + 1)));
            }
        }
        return ClusterState.withDefaultSettings("test", 1, nodes, List.of(tables), partitions, List.of());
    }

    static ClusterState offline(int nodeCount, TableState... tables) {
        return state(nodeCount, id -> "host=10.0.0." + id + " port=5432 dbname=app user=postgres", tables);
    }
}
