package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;

import java.util.List;
import java.util.TreeSet;

/**
 * A group with pins or uneven weights: {@link GroupBalancer} alone, against its weighted targets around the
 * pins ({@link JointPlacement} knows neither). When a role ends outside its tolerance, the attempt is undone:
 * only the copies that need a node are placed, nothing moves to balance, and the plan warns (so that planning
 * again finds the same and does nothing). Weights no placement can meet are a problem ({@link #checkWeights}).
 */
record SteeredBalancing(PlanDraft draft, RolePlacement roles) {
    void balance(GroupWork group) {
        if (!checkWeights(group)) {
            return;
        }
        int stepsBefore = draft.steps.size();
        List<Runnable> undo = roles.balanceUndoably(group);
        boolean primariesBalanced = roles.balanced(group.primaries, group.nodes, group.pinnedPrimaries);
        if (primariesBalanced && roles.balanced(group.replicas, group.nodes, group.pinnedReplicas)) {
            return;
        }
        TreeSet<UnitKey> keys = new TreeSet<>(group.primaryUnits());
        keys.addAll(group.pinned);
        draft.steps.subList(stepsBefore, draft.steps.size()).clear();
        RolePlacement.undo(undo);
        refillSteered(group, keys);
        roles.placeWaiting(group);
        draft.warnings.add("replication group " + group.name + " cannot be balanced to within one partition of each node's weighted share of "
                + (primariesBalanced ? "replicas" : "primaries") + " around its pins (a node holds at most one copy of a partition); nothing"
                + " is moved to balance it. Check the group's pins and weights, or add a node, then run plan");
    }

    /** Rebuilds a steered group's holdings after an undone attempt: every copy of {@code keys} except the pinned ones. */
    private void refillSteered(GroupWork group, TreeSet<UnitKey> keys) {
        group.primaries = new Holdings(group.nodes);
        group.replicas = new Holdings(group.nodes);
        for (UnitKey key : keys) {
            PartitionPin pin = group.pinned.contains(key) ? draft.pin(key) : null;
            String primary = draft.primaryOf.get(key);
            if (primary != null && pin == null) {
                group.primaries.add(primary, key);
            }
            draft.replicasOf.get(key).stream().filter(node -> pin == null || !pin.replicas().contains(node)).forEach(node -> group.replicas.add(node, key));
        }
    }

    /**
     * A node holds at most one copy of each of the group's units, so its floor shares of primaries and of replicas
     * together must not exceed the units: a node weighing over 1/(redundancy + 1) of its group cannot get its share.
     * Reports such weights as a problem (false).
     */
    private boolean checkWeights(GroupWork group) {
        long units = group.primaries.total() + group.unplacedPrimaries.size() + group.pinnedPrimaries.values().stream().mapToLong(Integer::longValue).sum();
        Targets primaries = roles.targets(group.primaries, group.nodes, group.pinnedPrimaries, group.unplacedPrimaries.size());
        Targets replicas = roles.targets(group.replicas, group.nodes, group.pinnedReplicas, group.unplacedReplicas.size());
        for (String node : group.nodes) {
            if (primaries.floor(node) + replicas.floor(node) > units) {
                draft.problems.add("replication group " + group.name + " cannot give " + node + " its weighted share: " + primaries.floor(node)
                        + " primaries and " + replicas.floor(node) + " replicas, but a node holds at most one copy of each of the group's "
                        + units + " partitions (a node may weigh at most 1/(redundancy + 1) of its group); lower the weight of " + node
                        + " or add nodes to " + group.name);
                return false;
            }
        }
        return true;
    }
}
