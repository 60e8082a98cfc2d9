package dev.shardman.planner.placement;

import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A group with even weights and no pins: primaries then replicas with {@link GroupBalancer}; if that leaves a
 * role unbalanced, undoes it and places both roles with {@link JointPlacement}. When that proves that no placement reachable by moves is balanced,
 * only the copies that need a node are placed, nothing is moved to balance, and the plan says so (so that
 * planning again finds the same and does nothing); if it stays undecided, the first result stays. Where some
 * unit has a copy on every node, the roles interact and the replica stage may move one more than needed: the
 * first result stays only if neither the joint placement nor the least-move replicas behind its primaries
 * move fewer (primary moves first, then replica moves).
 */
record EvenBalancing(PlanDraft draft, RolePlacement roles) {
    void balance(GroupWork group) {
        int stepsBefore = draft.steps.size();
        List<Runnable> undo = roles.balanceUndoably(group);
        boolean firstBalanced = roles.balanced(group.primaries, group.nodes, Map.of()) && roles.balanced(group.replicas, group.nodes, Map.of());
        if (firstBalanced && (!hasMoves(draft.steps.subList(stepsBefore, draft.steps.size())) || !hasUnitOnEveryNode(group))) {
            return;
        }
        List<UnitKey> keys = group.primaryUnits();
        FirstAttempt first = new FirstAttempt(stepsBefore, keys);
        RolePlacement.undo(undo);
        List<JointPlacement.Unit> units = unitsBeforeBalancing(group, keys);
        JointPlacement.Search joint = JointPlacement.place(group.nodes, units);
        if (joint.result() == null && joint.decided()) {
            draft.steps.subList(stepsBefore, draft.steps.size()).clear();
            refillHoldings(group, keys);
            roles.placeWaiting(group);
            draft.warnings.add("replication group " + group.name + " cannot be balanced by moving partitions: no placement of its primaries"
                    + " with per-node counts within one of each other that keeps each off the nodes holding its replicas leaves the"
                    + " replicas one (as with a redundancy of the group's size minus one); nothing is moved to balance it. Add a node"
                    + " to the group or lower the redundancy, then run plan");
            return;
        }
        if (joint.result() == null) {
            first.restore();
            return;
        }
        List<JointPlacement.Result> candidates = new ArrayList<>(List.of(joint.result()));
        if (firstBalanced) {
            JointPlacement.Result behind = JointPlacement.behind(group.nodes, units, first.primaries);
            if (behind != null) {
                candidates.add(0, behind);
            }
        }
        List<Step> best = firstBalanced ? first.steps : null;
        JointPlacement.Result chosen = null;
        for (JointPlacement.Result candidate : candidates) {
            List<Step> tried = placeJointly(stepsBefore, units, candidate);
            if (best == null || fewerMoves(tried, best)) {
                best = tried;
                chosen = candidate;
            }
        }
        if (chosen == null) {
            first.restore();
        } else {
            placeJointly(stepsBefore, units, chosen);
        }
    }

    /** The first attempt's steps and its placement of the group's units, kept when no joint placement moves fewer. */
    private final class FirstAttempt {
        final int stepsBefore;
        final List<Step> steps;
        final Map<UnitKey, String> primaries = new HashMap<>();
        final Map<UnitKey, TreeSet<String>> replicas = new HashMap<>();

        FirstAttempt(int stepsBefore, List<UnitKey> keys) {
            this.stepsBefore = stepsBefore;
            this.steps = new ArrayList<>(draft.steps.subList(stepsBefore, draft.steps.size()));
            keys.forEach(key -> {
                primaries.put(key, draft.primaryOf.get(key));
                replicas.put(key, new TreeSet<>(draft.replicasOf.get(key)));
            });
        }

        void restore() {
            draft.steps.subList(stepsBefore, draft.steps.size()).clear();
            draft.steps.addAll(steps);
            primaries.forEach((key, node) -> {
                if (node == null) {
                    draft.primaryOf.remove(key);
                } else {
                    draft.primaryOf.put(key, node);
                }
            });
            replicas.forEach((key, nodes) -> draft.replicasOf.put(key, new TreeSet<>(nodes)));
        }
    }

    /** Replaces the steps from {@code stepsBefore} on with those of {@code result} and records it; returns those steps. */
    private List<Step> placeJointly(int stepsBefore, List<JointPlacement.Unit> units, JointPlacement.Result result) {
        draft.steps.subList(stepsBefore, draft.steps.size()).clear();
        units.forEach(unit -> placeJointly(unit, result));
        return new ArrayList<>(draft.steps.subList(stepsBefore, draft.steps.size()));
    }

    /** Whether the group holds a unit of a table that asks for a copy on every node (a check per root, not per unit). */
    private boolean hasUnitOnEveryNode(GroupWork group) {
        for (String root : draft.partitionCounts.keySet()) {
            if (group.nodes.size() >= 2 && draft.tables.desiredRedundancy(root) >= group.nodes.size() - 1
                    && group.nodes.stream().anyMatch(node -> group.primaries.count(node, root) > 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasMoves(List<Step> steps) {
        return steps.stream().anyMatch(step -> step instanceof MovePrimary || step instanceof MoveReplica);
    }

    /** Whether {@code these} move fewer primaries than {@code those}, or as many and fewer replicas. */
    private static boolean fewerMoves(List<Step> these, List<Step> those) {
        long primaries = these.stream().filter(MovePrimary.class::isInstance).count() - those.stream().filter(MovePrimary.class::isInstance).count();
        long replicas = these.stream().filter(MoveReplica.class::isInstance).count() - those.stream().filter(MoveReplica.class::isInstance).count();
        return primaries < 0 || primaries == 0 && replicas < 0;
    }

    /** Rebuilds the group's holdings from primaryOf and replicasOf (after an undone attempt), for {@code keys} in unit order. */
    private void refillHoldings(GroupWork group, List<UnitKey> keys) {
        group.primaries = new Holdings(group.nodes);
        group.replicas = new Holdings(group.nodes);
        for (UnitKey key : keys) {
            String primary = draft.primaryOf.get(key);
            if (primary != null) {
                group.primaries.add(primary, key);
            }
            draft.replicasOf.get(key).forEach(node -> group.replicas.add(node, key));
        }
    }

    /** The group's units as they were before balancing (call after undoing it), in unit order. */
    private List<JointPlacement.Unit> unitsBeforeBalancing(GroupWork group, List<UnitKey> keys) {
        Map<UnitKey, Unplaced> unplacedPrimary = new HashMap<>();
        group.unplacedPrimaries.forEach(copy -> unplacedPrimary.put(copy.unit(), copy));
        Map<UnitKey, List<Unplaced>> unplacedReplicas = new HashMap<>();
        group.unplacedReplicas.forEach(copy -> unplacedReplicas.computeIfAbsent(copy.unit(), key -> new ArrayList<>()).add(copy));
        List<JointPlacement.Unit> units = new ArrayList<>();
        for (UnitKey key : keys) {
            units.add(new JointPlacement.Unit(key, draft.primaryOf.get(key), unplacedPrimary.get(key), new TreeSet<>(draft.replicasOf.get(key)),
                    unplacedReplicas.getOrDefault(key, List.of())));
        }
        return units;
    }

    /** Records one unit's joint placement and the steps that get it there (moves pair the copies that leave with the nodes that gain one). */
    private void placeJointly(JointPlacement.Unit unit, JointPlacement.Result joint) {
        UnitKey key = unit.key();
        String primary = joint.primaries().get(key);
        if (unit.primary() != null && !unit.primary().equals(primary)) {
            draft.steps.add(new MovePrimary(draft.unit(key), unit.primary(), primary));
        } else if (unit.unplacedPrimary() != null) {
            draft.addPrimaryStep(unit.unplacedPrimary(), primary);
        }
        draft.primaryOf.put(key, primary);
        TreeSet<String> replicas = joint.replicas().get(key);
        List<String> gained = replicas.stream().filter(node -> !unit.keptReplicas().contains(node)).toList();
        List<String> left = unit.keptReplicas().stream().filter(node -> !replicas.contains(node)).toList();
        int next = 0;
        for (String from : left) {
            draft.steps.add(new MoveReplica(draft.unit(key), from, gained.get(next++), primary));
        }
        for (Unplaced copy : unit.unplacedReplicas()) {
            draft.addReplicaStep(copy, gained.get(next++), primary);
        }
        draft.replicasOf.put(key, replicas);
    }
}
