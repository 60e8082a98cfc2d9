package dev.shardman.planner.diff;

import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.IndexSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;

import java.util.Optional;

/** The metadata that the spec's declarations become once applied. */
public final class SpecConversion {
    private SpecConversion() {
    }

    public static TableState table(TableSpec spec) {
        return new TableState(spec.name(), spec.schema(), spec.type(),
                spec.columns().stream().map(SpecConversion::column).toList(),
                spec.primaryKey(),
                spec.indexes().stream().map(SpecConversion::index).toList(),
                spec.isSharded() ? spec.shardingKey() : Optional.empty(),
                spec.isSharded() ? spec.partitions() : 0,
                spec.isSharded() ? spec.redundancy() : 0,
                spec.isSharded() ? spec.colocateWith() : Optional.empty(),
                spec.isSharded() ? Optional.empty() : spec.master(),
                spec.grants());
    }

    static ColumnState column(ColumnSpec spec) {
        return new ColumnState(spec.name(), spec.type(), spec.nullable(), spec.defaultExpression());
    }


    static IndexState index(IndexSpec spec) {
        return new IndexState(spec.name(), spec.columns(), spec.unique());
    }

    public static NodeState node(NodeSpec spec, long id) {
        return new NodeState(id, spec.name(), Optional.empty(), spec.superConninfo(), spec.conninfo(), spec.replicationGroup(), spec.lost());
    }
}
