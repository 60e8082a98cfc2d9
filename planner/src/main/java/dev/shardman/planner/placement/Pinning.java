package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Puts a group's pinned units where their pins say, before balancing: a copy not yet on its pinned node is
 * moved there, or placed there when it was waiting for a node (a waiting replica first, then a held one that
 * no pin keeps); the pinned copies then leave the holdings, so the balancer counts them as load it never
 * moves. A primary pinned onto a node that holds its replica swaps them ({@link #swap}).
 */
final class Pinning {
    private final PlanDraft draft;
    private final GroupWork group;
    private final Map<UnitKey, Unplaced> waitingPrimary = new HashMap<>();
    private final Map<UnitKey, List<Unplaced>> waitingReplicas = new HashMap<>();

    Pinning(PlanDraft draft, GroupWork group) {
        this.draft = draft;
        this.group = group;
    }

    void apply() {
        if (group.pinned.isEmpty()) {
            return;
        }
        Collections.sort(group.pinned);
        Set<UnitKey> pinned = new HashSet<>(group.pinned);
        List<Unplaced> primaries = new ArrayList<>(group.unplacedPrimaries);
        group.unplacedPrimaries.clear();
        for (Unplaced copy : primaries) {
            if (pinned.contains(copy.unit())) {
                waitingPrimary.put(copy.unit(), copy);
            } else {
                group.unplacedPrimaries.add(copy);
            }
        }
        List<Unplaced> replicas = new ArrayList<>(group.unplacedReplicas);
        group.unplacedReplicas.clear();
        for (Unplaced copy : replicas) {
            if (pinned.contains(copy.unit())) {
                waitingReplicas.computeIfAbsent(copy.unit(), key -> new ArrayList<>()).add(copy);
            } else {
                group.unplacedReplicas.add(copy);
            }
        }
        group.pinned.forEach(unit -> place(unit, draft.pin(unit)));
    }

    /** Places one pinned unit. */
    private void place(UnitKey unit, PartitionPin pin) {
        if (draft.replicasOf.get(unit).contains(pin.primary())) {
            swap(unit, pin.primary());
        }
        placePrimary(unit, pin.primary());
        for (String node : pin.replicas()) {
            placeReplica(unit, node, pin);
        }
        group.unplacedReplicas.addAll(waitingReplicas.getOrDefault(unit, List.of()));
    }

    /**
     * The primary is pinned onto the node holding one of its replicas: primary moves run before replica moves,
     * so that replica is dropped first (drops run before any data moves) and a new copy replaces it once the
     * primary is there. Until then the partition has one copy fewer.
     */
    private void swap(UnitKey unit, String node) {
        Unplaced waiting = waitingPrimary.get(unit);
        String holder = draft.primaryOf.get(unit) != null ? draft.primaryOf.get(unit) : waiting.from().orElseThrow();
        draft.steps.add(new DropReplica(draft.unit(unit), node, holder));
        draft.replicasOf.get(unit).remove(node);
        group.replicas.remove(node, unit);
        waitingReplicas.computeIfAbsent(unit, key -> new ArrayList<>()).add(Unplaced.of(unit, Unplaced.Origin.NEW_COPY));
    }

    private void placePrimary(UnitKey unit, String node) {
        Unplaced waiting = waitingPrimary.remove(unit);
        String current = draft.primaryOf.get(unit);
        if (waiting != null) {
            draft.addPrimaryStep(waiting, node);
        } else if (current != null) {
            group.primaries.remove(current, unit);
            if (!current.equals(node)) {
                draft.steps.add(new MovePrimary(draft.unit(unit), current, node));
            }
        }
        draft.primaryOf.put(unit, node);
        group.pinnedPrimaries.merge(node, 1, Integer::sum);
    }

    private void placeReplica(UnitKey unit, String node, PartitionPin pin) {
        TreeSet<String> replicas = draft.replicasOf.get(unit);
        if (replicas.contains(node)) {
            group.replicas.remove(node, unit);
        } else if (!waitingReplicas.getOrDefault(unit, List.of()).isEmpty()) {
            Unplaced copy = waitingReplicas.get(unit).remove(0);
            draft.addReplicaStep(copy, node, pin.primary());
            replicas.add(node);
        } else {
            Optional<String> from = replicas.stream().filter(held -> !pin.replicas().contains(held)).findFirst();
            if (from.isEmpty()) {
                draft.problems.add(pin.position() + ": table " + unit.root() + ": placement of partition " + unit.index() + " names more replicas"
                        + " than the partition keeps in replication group " + group.name + "; name fewer nodes");
                return;
            }
            group.replicas.remove(from.get(), unit);
            replicas.remove(from.get());
            draft.steps.add(new MoveReplica(draft.unit(unit), from.get(), node, pin.primary()));
            replicas.add(node);
        }
        group.pinnedReplicas.merge(node, 1, Integer::sum);
    }
}
