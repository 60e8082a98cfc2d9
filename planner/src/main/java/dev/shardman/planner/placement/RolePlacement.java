package dev.shardman.planner.placement;

import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places a group's copies one role at a time (primaries, then replicas) with {@link GroupBalancer} and adds the
 * steps that get them there; tells whether a role is balanced against its {@link Targets}.
 */
final class RolePlacement {
    private final PlanDraft draft;
    /** While a group is balanced: how to undo each change of primaryOf and replicasOf, in order; otherwise null. */
    private List<Runnable> journal;

    RolePlacement(PlanDraft draft) {
        this.draft = draft;
    }

    /** Places and balances both roles, journaled; returns how to undo it ({@link #undo}). */
    List<Runnable> balanceUndoably(GroupWork group) {
        journal = new ArrayList<>();
        balancePrimaries(group, true);
        balanceReplicas(group, true);
        List<Runnable> undo = journal;
        journal = null;
        return undo;
    }

    /** Runs an attempt's undo entries backwards, restoring primaryOf and replicasOf (not the holdings). */
    static void undo(List<Runnable> entries) {
        for (int index = entries.size() - 1; index >= 0; index--) {
            entries.get(index).run();
        }
    }

    /** Places only the copies that need a node; nothing moves to balance. */
    void placeWaiting(GroupWork group) {
        balancePrimaries(group, false);
        balanceReplicas(group, false);
    }

    /** Places the group's primaries that need a node, and with {@code moveCopies} balances them (see {@link GroupBalancer}). */
    private void balancePrimaries(GroupWork group, boolean moveCopies) {
        GroupBalancer.Loads loads = new GroupBalancer.Loads(group.pinnedPrimaries, draft.steering.weights());
        GroupBalancer.Result result = GroupBalancer.balance(group.nodes, group.primaries, group.unplacedPrimaries, moveCopies, loads, new GroupBalancer.Rules() {
            @Override
            public boolean canPlace(UnitKey unit, String node) {
                return !draft.replicasOf.get(unit).contains(node);
            }

            @Override
            public void place(UnitKey unit, String node) {
                remember(unit, draft.primaryOf.put(unit, node));
            }

            @Override
            public void unplace(UnitKey unit, String node) {
                remember(unit, draft.primaryOf.remove(unit));
            }
        });
        for (GroupBalancer.Assignment assignment : result.assignments()) {
            draft.addPrimaryStep(assignment.unplaced(), assignment.node());
        }
        result.moves().forEach(move -> draft.steps.add(new MovePrimary(draft.unit(move.unit()), move.from(), move.to())));
        reportUnplaceable(group, result, "primary");
    }

    /** Places the group's replicas that need a node, and with {@code moveCopies} balances them. */
    private void balanceReplicas(GroupWork group, boolean moveCopies) {
        GroupBalancer.Loads loads = new GroupBalancer.Loads(group.pinnedReplicas, draft.steering.weights());
        GroupBalancer.Result result = GroupBalancer.balance(group.nodes, group.replicas, group.unplacedReplicas, moveCopies, loads, new GroupBalancer.Rules() {
            /** Computed when a new replica is first placed (balancing alone never asks; the primaries do not change here). */
            private Map<UnitKey, Integer> rounds;

            @Override
            public boolean canPlace(UnitKey unit, String node) {
                return !node.equals(draft.primaryOf.get(unit)) && !draft.replicasOf.get(unit).contains(node);
            }

            @Override
            public void place(UnitKey unit, String node) {
                if (draft.replicasOf.get(unit).add(node) && journal != null) {
                    journal.add(() -> draft.replicasOf.get(unit).remove(node));
                }
            }

            @Override
            public void unplace(UnitKey unit, String node) {
                if (draft.replicasOf.get(unit).remove(node) && journal != null) {
                    journal.add(() -> draft.replicasOf.get(unit).add(node));
                }
            }

            /** Rotates the first choice after the primary by round, so one node's primaries replicate to several peers. */
            @Override
            public int preference(UnitKey unit, String node) {
                if (rounds == null) {
                    rounds = rounds(group);
                }
                int size = group.nodes.size();
                int primary = Math.max(0, Collections.binarySearch(group.nodes, draft.primaryOf.get(unit)));
                int offset = size > 1 ? 1 + rounds.getOrDefault(unit, 0) % (size - 1) : 0;
                int position = Collections.binarySearch(group.nodes, node);
                return Math.floorMod(position - primary - offset, size);
            }
        });
        for (GroupBalancer.Assignment assignment : result.assignments()) {
            Unplaced copy = assignment.unplaced();
            draft.addReplicaStep(copy, assignment.node(), draft.primaryOf.get(copy.unit()));
        }
        result.moves().forEach(move -> draft.steps.add(new MoveReplica(draft.unit(move.unit()), move.from(), move.to(), draft.primaryOf.get(move.unit()))));
        reportUnplaceable(group, result, "replica");
    }

    /**
     * The round of each unit whose primary is in the group: how many units (of any table, in unit order) have
     * the same primary before it. (The partition index would not do: with several groups a group holds every
     * other index, and the rotation then always picked the same peer; nor would a count per table: with many
     * tables of a few units per node every count stays 0.)
     */
    private static Map<UnitKey, Integer> rounds(GroupWork group) {
        Map<UnitKey, Integer> rounds = new HashMap<>();
        for (String node : group.nodes) {
            int round = 0;
            for (UnitKey unit : group.primaries.unitsOn(node)) {
                rounds.put(unit, round++);
            }
        }
        return rounds;
    }

    private void reportUnplaceable(GroupWork group, GroupBalancer.Result result, String role) {
        if (!result.unplaceable().isEmpty()) {
            Unplaced first = result.unplaceable().get(0);
            draft.problems.add("replication group " + group.name + " has no node that can take a " + role + " of " + first.unit().root() + "_"
                    + first.unit().index() + (result.unplaceable().size() > 1 ? " (and " + (result.unplaceable().size() - 1) + " more)" : "")
                    + "; add nodes to the group or lower the redundancy");
        }
    }

    /** Records how to undo a change of a unit's primary ({@code previous}: its primary before, or null). */
    private void remember(UnitKey unit, String previous) {
        if (journal != null) {
            journal.add(previous == null ? () -> draft.primaryOf.remove(unit) : () -> draft.primaryOf.put(unit, previous));
        }
    }

    Targets targets(Holdings holdings, List<String> nodes, Map<String, Integer> pinned, int unplaced) {
        long total = holdings.total() + unplaced + pinned.values().stream().mapToLong(Integer::longValue).sum();
        return Targets.compute(nodes, node -> holdings.count(node) + pinned.getOrDefault(node, 0), pinned, draft.steering.weights(), total);
    }

    /** Whether every node holds its floor or one more of its share (see {@link Targets}), pinned copies counted. */
    boolean balanced(Holdings holdings, List<String> nodes, Map<String, Integer> pinned) {
        Targets targets = targets(holdings, nodes, pinned, 0);
        return nodes.stream().allMatch(node -> targets.accepts(node, holdings.count(node) + pinned.getOrDefault(node, 0)));
    }
}
