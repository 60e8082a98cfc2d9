package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The before- and after-states whose objects one step's node work reconciles and verifies. A step that changes
 * only some sharded tables (create, drop, columns, indexes) and leaves the nodes alone is narrowed to those
 * tables: the node transaction inspects, changes and re-verifies their objects plus the node-wide ones (extension,
 * servers, mappings), not every table of the cluster, which made each step's two inspections grow with the
 * cluster. Every other step (nodes change, replicas or shared tables exist: their objects, e.g. publications,
 * span tables) keeps the full states. Drift in tables a step does not touch is repaired by the recovery that
 * every apply runs first, and reported by drift-check.
 */
record StepScope(ClusterState before, ClusterState after) {
    StepScope {
        requireNonNull(before, "before is null");
        requireNonNull(after, "after is null");
    }

    static StepScope of(ClusterState before, ClusterState after) {
        if (!before.nodes().equals(after.nodes()) || !onlyShardedWithoutReplicas(before) || !onlyShardedWithoutReplicas(after)) {
            return new StepScope(before, after);
        }
        Set<String> changed = new TreeSet<>();
        for (ClusterState state : List.of(before, after)) {
            for (TableState table : state.tables()) {
                if (!Objects.equals(before.table(table.name()), after.table(table.name()))
                        || !before.partitionsOf(table.name()).equals(after.partitionsOf(table.name()))) {
                    changed.add(table.name());
                }
            }
        }
        return new StepScope(restrict(before, changed), restrict(after, changed));
    }

    private static boolean onlyShardedWithoutReplicas(ClusterState state) {
        return state.replicas().isEmpty() && state.tables().stream().allMatch(TableState::isSharded);
    }

    private static ClusterState restrict(ClusterState state, Set<String> tables) {
        List<TableState> kept = state.tables().stream().filter(table -> tables.contains(table.name())).toList();
        List<PartitionState> partitions = state.partitions().stream().filter(partition -> tables.contains(partition.table())).toList();
        return new ClusterState(state.lineage(), state.serial(), state.nodes(), kept, partitions, List.of(), state.settings());
    }
}
