package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;

import java.util.ArrayList;
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
    private static final int MAXIMUM_ROUNDS = 16;

    void balance(GroupWork group) {
        if (!draft.partitionBytes.known()) {
            roles.placeWaiting(group);
            draft.warnings.add("replication group " + group.name + " balances by size, but the partition sizes are unknown (a state"
                    + " snapshot without partition_bytes); nothing is moved to balance it. Plan against the live cluster, or pull the"
                    + " state again with `shardman state pull -f <spec>`, then run plan");
            return;
        }
        balanceBoth(group);
    }

    /**
     * Primaries, then replicas, again while either moved: a primary move changes where replicas may go and a replica
     * move where primaries may, so one pass can end where a move of the other role would still help. Each round only
     * makes moves that reduce a role's distance outside its bands, so this ends; the bound is a guard only.
     */
    private void balanceBoth(GroupWork group) {
        Map<UnitKey, List<String>> replicasBefore = new HashMap<>();
        group.nodes.forEach(node -> group.replicas.unitsOn(node).forEach(unit -> replicasBefore.computeIfAbsent(unit, key -> new ArrayList<>()).add(node)));
        SizeBalancer primaries = SizeBalancer.of(group.nodes, held(group, group.primaries), group.unplacedPrimaries, draft::bytes,
                pinnedBytes(group, true), draft.steering.weights(), draft.steering.balance().tolerancePercent(), primaryRules(replicasBefore));
        SizeBalancer replicas = SizeBalancer.of(group.nodes, held(group, group.replicas), group.unplacedReplicas, draft::bytes,
                pinnedBytes(group, false), draft.steering.weights(), draft.steering.balance().tolerancePercent(), replicaRules());
        reportUnplaceable(group, primaries.placeWaiting(group.unplacedPrimaries), "primary");
        reportUnplaceable(group, replicas.placeWaiting(group.unplacedReplicas), "replica");
        for (int round = 0; round < MAXIMUM_ROUNDS; round++) {
            int moved = primaries.moveUntilBalanced();
            moved += replicas.moveUntilBalanced();
            if (moved == 0) {
                break;
            }
        }
        for (SizeBalancer.Change change : primaries.changes()) {
            if (change.waiting() != null) {
                draft.addPrimaryStep(change.waiting(), change.to());
            } else {
                draft.steps.add(new MovePrimary(draft.unit(change.unit()), change.from(), change.to()));
            }
        }
        for (SizeBalancer.Change change : replicas.changes()) {
            String primary = draft.primaryOf.get(change.unit());
            if (change.waiting() != null) {
                draft.addReplicaStep(change.waiting(), change.to(), primary);
            } else {
                draft.steps.add(new MoveReplica(draft.unit(change.unit()), change.from(), change.to(), primary));
            }
        }
    }

    /**
     * A primary never goes where a replica of its unit is, nor where one was before the plan: primary moves run before
     * replica moves, so the replica would still be there when the primary arrives.
     */
    private SizeBalancer.Rules primaryRules(Map<UnitKey, List<String>> replicasBefore) {
        return new SizeBalancer.Rules() {
            @Override
            public boolean canPlace(UnitKey unit, String node) {
                return !draft.replicasOf.get(unit).contains(node) && !replicasBefore.getOrDefault(unit, List.of()).contains(node);
            }

            @Override
            public void place(UnitKey unit, String node) {
                draft.primaryOf.put(unit, node);
            }

            @Override
            public void unplace(UnitKey unit, String node) {
                draft.primaryOf.remove(unit);
            }
        };
    }

    private SizeBalancer.Rules replicaRules() {
        return new SizeBalancer.Rules() {
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
        };
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
            PartitionPin pin = draft.pin(unit);
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
