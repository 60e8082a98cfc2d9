package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;

/**
 * A group balanced by size ({@code settings.balance.by: size}): primaries, then replicas, with {@link SizeBalancer}
 * against each node's weighted share of the role's bytes, around the pins, and the steps that get them there. Without
 * sizes (a state that records none) only the copies that need a node are placed, nothing moves to balance, and the
 * plan warns: a plan by counts would be undone by the next plan by size.
 */
record SizeBalancing(PlanDraft draft, RolePlacement roles) {
    void balance(GroupWork group) {
        if (!draft.partitionBytes.known()) {
            roles.placeWaiting(group);
            draft.warnings.add("replication group " + group.name + " balances by size, but the partition sizes are unknown (a state"
                    + " snapshot without partition_bytes); nothing is moved to balance it. Plan against the live cluster, or pull the"
                    + " state again with `shardman state pull -f <spec>`, then run plan");
            return;
        }
        balancePrimaries(group);
        balanceReplicas(group);
    }

    private void balancePrimaries(GroupWork group) {
        Map<String, Long> pinned = pinnedBytes(group, true);
        SizeBalancer.Result result = SizeBalancer.balance(group.nodes, held(group, group.primaries), group.unplacedPrimaries, draft::bytes,
                pinned, draft.steering.weights(), draft.steering.balance().tolerancePercent(), true, new SizeBalancer.Rules() {
                    @Override
                    public boolean canPlace(UnitKey unit, String node) {
                        return !draft.replicasOf.get(unit).contains(node);
                    }

                    @Override
                    public void place(UnitKey unit, String node) {
                        draft.primaryOf.put(unit, node);
                    }

                    @Override
                    public void unplace(UnitKey unit, String node) {
                        draft.primaryOf.remove(unit);
                    }
                });
        for (SizeBalancer.Change change : result.changes()) {
            if (change.waiting() != null) {
                draft.addPrimaryStep(change.waiting(), change.to());
            } else {
                draft.steps.add(new MovePrimary(draft.unit(change.unit()), change.from(), change.to()));
            }
        }
        reportUnplaceable(group, result.unplaceable(), "primary");
    }

    private void balanceReplicas(GroupWork group) {
        Map<String, Long> pinned = pinnedBytes(group, false);
        SizeBalancer.Result result = SizeBalancer.balance(group.nodes, held(group, group.replicas), group.unplacedReplicas, draft::bytes,
                pinned, draft.steering.weights(), draft.steering.balance().tolerancePercent(), true, new SizeBalancer.Rules() {
                    @Override
                    public boolean canPlace(UnitKey unit, String node) {
                        return !node.equals(draft.primaryOf.get(unit)) && !draft.replicasOf.get(unit).contains(node);
                    }

                    @Override
                    public void place(UnitKey unit, String node) {
                        draft.replicasOf.get(unit).add(node);
                    }

                    @Override
                    public void unplace(UnitKey unit, String node) {
                        draft.replicasOf.get(unit).remove(node);
                    }
                });
        for (SizeBalancer.Change change : result.changes()) {
            String primary = draft.primaryOf.get(change.unit());
            if (change.waiting() != null) {
                draft.addReplicaStep(change.waiting(), change.to(), primary);
            } else {
                draft.steps.add(new MoveReplica(draft.unit(change.unit()), change.from(), change.to(), primary));
            }
        }
        reportUnplaceable(group, result.unplaceable(), "replica");
    }

    private static Map<String, NavigableSet<UnitKey>> held(GroupWork group, Holdings holdings) {
        Map<String, NavigableSet<UnitKey>> held = new HashMap<>();
        group.nodes.forEach(node -> held.put(node, holdings.unitsOn(node)));
        return held;
    }

    /** Each node's bytes of pinned copies of one role (pinned copies are not in the holdings). */
    private Map<String, Long> pinnedBytes(GroupWork group, boolean primaries) {
        Map<String, Long> pinned = new HashMap<>();
        for (UnitKey unit : group.pinned) {
            PartitionPin pin = draft.steering.pins().get(unit);
            List<String> nodes = primaries ? List.of(pin.primary()) : pin.replicas();
            nodes.forEach(node -> pinned.merge(node, draft.bytes(unit), Long::sum));
        }
        return pinned;
    }

    private void reportUnplaceable(GroupWork group, List<Unplaced> unplaceable, String role) {
        if (!unplaceable.isEmpty()) {
            Unplaced first = unplaceable.get(0);
            draft.problems.add("replication group " + group.name + " has no node that can take a " + role + " of " + first.unit().root() + "_"
                    + first.unit().index() + (unplaceable.size() > 1 ? " (and " + (unplaceable.size() - 1) + " more)" : "")
                    + "; add nodes to the group or lower the redundancy");
        }
    }
}
