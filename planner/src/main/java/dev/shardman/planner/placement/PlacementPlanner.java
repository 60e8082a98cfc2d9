package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.diff.Membership;
import dev.shardman.planner.diff.Problems;
import dev.shardman.planner.diff.TableDiff;
import dev.shardman.planner.step.PartitionUnit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Decides where every partition unit lives after the plan, and the data steps that get it there: failovers, drains,
 * replica counts, new tables, then balance inside each group ({@link GroupBalancer}, or {@link JointPlacement} where
 * balancing the roles one after the other cannot balance the replicas). The phases, in order, each in its own class
 * over one {@link PlanDraft}: {@link ExistingUnits}, the new tables (here), {@link Pinning}, then
 * {@link EvenBalancing} or {@link SteeredBalancing}; or {@link SizeBalancing} (docs/internals/placement.md,
 * "Placement phases").
 */
public final class PlacementPlanner {
    private final PlanDraft draft;

    private PlacementPlanner(ClusterState state, Membership membership, TableDiff tables, Steering steering, Problems problems) {
        this.draft = new PlanDraft(membership, tables, steering, problems, state.partitionBytes(), state.partitions().size());
    }

    public static PlacementResult plan(ClusterState state, Membership membership, TableDiff tables, Problems problems) {
        return plan(state, membership, tables, Steering.NONE, problems);
    }

    public static PlacementResult plan(ClusterState state, Membership membership, TableDiff tables, Steering steering, Problems problems) {
        return new PlacementPlanner(state, membership, tables, steering, problems).run(state);
    }

    private PlacementResult run(ClusterState state) {
        new ExistingUnits(draft).settle(state);
        placeNewTables();
        RolePlacement roles = new RolePlacement(draft);
        EvenBalancing even = new EvenBalancing(draft, roles);
        SteeredBalancing steered = new SteeredBalancing(draft, roles);
        SizeBalancing bySize = new SizeBalancing(draft, roles);
        boolean balanceBySize = draft.steering.balance().bySize();
        if (balanceBySize) {
            requireSizes(state);
        }
        for (GroupWork group : draft.groups.values()) {
            new Pinning(draft, group).apply();
            if (balanceBySize) {
                bySize.balance(group);
            } else if (group.steered()) {
                steered.balance(group);
            } else {
                even.balance(group);
            }
        }
        return new PlacementResult(draft.steps, finalPlacement(), draft.warnings);
    }

    /** Known sizes must cover every partition of the state: a missing one would silently weigh only the base bytes. */
    private void requireSizes(ClusterState state) {
        if (!draft.partitionBytes.known()) {
            return;
        }
        List<String> missing = state.partitions().stream().map(PartitionState::name).filter(name -> draft.partitionBytes.of(name).isEmpty()).toList();
        if (!missing.isEmpty()) {
            draft.problems.add("settings.balance.by is size, but the state's partition_bytes has no size for " + missing.get(0)
                    + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : "") + "; plan against the live cluster or pull"
                    + " the state again with `shardman state pull -f <spec>`, then run plan");
        }
    }

    /**
     * New colocation roots: each partition to the group holding the fewest units per unit of weight (per live node
     * when weights are even; ties by name), or, when pinned, to its pin's group.
     */
    private void placeNewTables() {
        List<GroupWork> usable = draft.groups.values().stream().filter(group -> !group.nodes.isEmpty()).toList();
        PriorityQueue<GroupWork> byLoad = new PriorityQueue<>((left, right) -> {
            int compared = Long.compare(left.units * right.weight, right.units * left.weight);
            return compared != 0 ? compared : left.name.compareTo(right.name);
        });
        byLoad.addAll(usable);
        for (TableState table : draft.tables.newSharded()) {
            if (!draft.tables.rootOf(table.name()).equals(table.name())) {
                continue;
            }
            if (usable.isEmpty()) {
                draft.problems.add("table " + table.name() + " cannot be placed: the spec has no live node");
                continue;
            }
            draft.unitTemplates.put(table.name(), new PartitionUnit(List.of(table.name()), 0));
            draft.partitionCounts.put(table.name(), table.partitions());
            for (GroupWork group : usable) {
                if (table.redundancy() > group.nodes.size() - 1) {
                    draft.problems.add("table " + table.name() + " asks for redundancy " + table.redundancy() + " but replication group "
                            + group.name + " has " + group.nodes.size() + " live node(s); it needs at least " + (table.redundancy() + 1));
                    return;
                }
            }
            for (int index = 0; index < table.partitions(); index++) {
                UnitKey unit = new UnitKey(table.name(), index);
                PartitionPin pin = draft.pin(unit);
                GroupWork group = pin == null ? byLoad.poll() : draft.groups.get(draft.membership.groupOf().get(pin.primary()));
                if (pin != null) {
                    byLoad.remove(group);
                    group.pinned.add(unit);
                }
                group.units++;
                group.unplacedPrimaries.add(Unplaced.of(unit, Unplaced.Origin.NEW_TABLE));
                draft.replicasOf.put(unit, new TreeSet<>());
                for (int copy = 0; copy < table.redundancy(); copy++) {
                    group.unplacedReplicas.add(Unplaced.of(unit, Unplaced.Origin.NEW_TABLE));
                }
                byLoad.add(group);
            }
        }
    }

    private Map<String, List<UnitPlacement>> finalPlacement() {
        Map<String, List<UnitPlacement>> placement = new HashMap<>();
        draft.partitionCounts.forEach((root, count) -> {
            List<UnitPlacement> units = new ArrayList<>(count);
            for (int index = 0; index < count; index++) {
                UnitKey unit = new UnitKey(root, index);
                String primary = draft.primaryOf.get(unit);
                TreeSet<String> replicas = draft.replicasOf.get(unit);
                units.add(primary == null ? null : new UnitPlacement(primary, replicas == null ? List.of() : List.copyOf(replicas)));
            }
            placement.put(root, Collections.unmodifiableList(units));
        });
        return placement;
    }
}
