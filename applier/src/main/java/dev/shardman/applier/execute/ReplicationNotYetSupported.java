package dev.shardman.applier.execute;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.TableSpec;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The ONE place that narrows a spec to what apply can do before logical replication exists (issue 4:
 * "the example may be applied with redundancy treated as 0, saying so"): sharded tables get
 * redundancy 0 and shared tables are left out, each with a warning. Live plan, apply, drift-check
 * and status use it; the offline {@code plan --state} keeps the full spec. Remove it when replicas
 * and shared tables can be applied.
 */
public final class ReplicationNotYetSupported {
    private ReplicationNotYetSupported() {
    }

    /** The narrowed spec and one warning per change made to it. */
    public record Restricted(ClusterSpec spec, List<String> warnings) {
        public Restricted {
            requireNonNull(spec, "spec is null");
            warnings = List.copyOf(warnings);
        }
    }

    public static Restricted restrict(ClusterSpec spec) {
        List<String> warnings = new ArrayList<>();
        List<TableSpec> tables = new ArrayList<>();
        for (TableSpec table : spec.tables()) {
            if (!table.isSharded()) {
                warnings.add("shared table " + table.name() + " is skipped: shared tables need logical replication, which this version cannot apply yet");
            } else if (table.redundancy() > 0) {
                warnings.add("table " + table.name() + ": redundancy " + table.redundancy()
                        + " is treated as 0 (no replicas): replication is not supported by apply yet");
                tables.add(new TableSpec(table.name(), table.schema(), table.type(), table.columns(), table.primaryKey(), table.indexes(),
                        table.shardingKey(), table.partitions(), 0, table.colocateWith(), table.master(), table.positions()));
            } else {
                tables.add(table);
            }
        }
        return new Restricted(new ClusterSpec(spec.file(), spec.cluster(), spec.shardlord(), spec.settings(), spec.nodes(), tables,
                spec.positions()), warnings);
    }
}
