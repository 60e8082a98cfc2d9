package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.PromoteReplica;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The units the cluster holds already: loads them into their groups' holdings, then per unit fails a lost
 * primary over, drains leaving nodes and trims replicas, queueing every copy that needs a node for the balancers.
 */
final class ExistingUnits {
    /** The drained replicas of a unit none of whose replicas leaves: never added to (removing an absent node would throw). */
    private static final NavigableSet<String> NONE_DRAINED = Collections.emptyNavigableSet();
    private final PlanDraft draft;
    /** The nodes that hold data at the end ({@link dev.shardman.planner.diff.Membership#isStaying}), asked once per copy. */
    private final Set<String> staying = new HashSet<>();
    /** Each node's group (absent: a group with no live node), looked up once per node rather than once per copy. */
    private final Map<String, GroupWork> groupOfNode = new HashMap<>();

    ExistingUnits(PlanDraft draft) {
        this.draft = draft;
        draft.groups.values().forEach(group -> group.nodes.stream().filter(draft.membership::isStaying).forEach(staying::add));
        draft.membership.groupOf().forEach((node, group) -> {
            if (draft.groups.containsKey(group)) {
                groupOfNode.put(node, draft.groups.get(group));
            }
        });
    }

    void settle(ClusterState state) {
        List<Existing> units = loadExistingUnits(state);
        units.sort(Comparator.comparing(Existing::unit));
        for (Existing existing : units) {
            GroupWork group = groupOfNode.get(existing.holder);
            if (group != null) {
                if (staying.contains(existing.holder)) {
                    group.primaries.append(existing.holder, existing.unit);
                }
                for (String node : existing.replicas()) {
                    if (group.replicas.tracks(node)) {
                        group.replicas.append(node, existing.unit);
                    }
                }
            }
        }
        draft.groups.values().forEach(group -> {
            group.primaries.finishAppending();
            group.replicas.finishAppending();
        });
        Map<String, Boolean> redundancyChecked = new HashMap<>();
        units.forEach(existing -> settleExistingUnit(existing.unit, existing.holder, existing.replicas(), redundancyChecked));
    }

    /**
     * One unit as the state holds it: its primary's node and its replicas' nodes. One object per unit, its replicas
     * found through the partition's name, so that loading builds one map of the state's size, not three.
     */
    private static final class Existing {
        final UnitKey unit;
        final String holder;
        private TreeSet<String> replicas;

        Existing(UnitKey unit, String holder) {
            this.unit = unit;
            this.holder = holder;
        }

        UnitKey unit() {
            return unit;
        }

        /** The replicas' nodes; the set becomes the unit's kept replicas when settling drops none (see {@link UnitCopies}). */
        TreeSet<String> replicas() {
            if (replicas == null) {
                replicas = new TreeSet<>();
            }
            return replicas;
        }
    }

    /** The state's units of kept tables, in the state's partition order (nearly sorted: the caller sorts it, in about linear time). */
    private List<Existing> loadExistingUnits(ClusterState state) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (TableState table : draft.tables.keptSharded()) {
            String root = draft.tables.rootOf(table.name());
            members.computeIfAbsent(root, key -> new ArrayList<>()).add(table.name());
        }
        members.forEach((root, list) -> {
            List<String> ordered = new ArrayList<>(List.of(root));
            list.stream().filter(table -> !table.equals(root)).forEach(ordered::add);
            draft.unitTemplates.put(root, new PartitionUnit(ordered, 0));
        });
        draft.tables.keptSharded().stream().filter(table -> members.containsKey(table.name()))
                .forEach(table -> draft.partitionCounts.put(table.name(), table.partitions()));
        List<Existing> units = new ArrayList<>(state.partitions().size());
        Map<String, Existing> byPartition = new HashMap<>(PlanDraft.capacityFor(state.partitions().size()));
        for (PartitionState partition : state.partitions()) {
            if (members.containsKey(partition.table())) {
                Existing existing = new Existing(new UnitKey(partition.table(), partition.index()), partition.node());
                units.add(existing);
                byPartition.put(partition.name(), existing);
            }
        }
        for (ReplicaState replica : state.replicas()) {
            Existing existing = byPartition.get(replica.partition());
            if (existing != null) {
                existing.replicas().add(replica.node());
            }
        }
        return units;
    }

    /**
     * The copies of one existing unit while it is being settled: where its primary ends up and which replicas stay.
     * When every replica stays (nearly always), the loaded set itself is kept and no other set is built.
     */
    private final class UnitCopies {
        final TreeSet<String> kept;
        final NavigableSet<String> drained;
        String primary;
        String drainPrimaryFrom;
        String promoted;

        UnitCopies(TreeSet<String> replicas) {
            if (staying.containsAll(replicas)) {
                kept = replicas;
                drained = NONE_DRAINED;
                return;
            }
            kept = new TreeSet<>();
            drained = new TreeSet<>();
            for (String node : replicas) {
                if (staying.contains(node)) {
                    kept.add(node);
                } else if (draft.membership.leaving().contains(node)) {
                    drained.add(node);
                }
            }
        }
    }

    /**
     * Fails over, drains and trims one existing unit, queueing for the balancers every copy that needs a
     * node. Emits PromoteReplica and DropReplica steps; moves and copies come from the balancers.
     */
    private void settleExistingUnit(UnitKey unit, String holder, TreeSet<String> replicas, Map<String, Boolean> redundancyChecked) {
        GroupWork group = groupOfNode.get(holder);
        if (group == null || group.nodes.isEmpty()) {
            draft.problems.add("replication group " + draft.membership.groupOf().get(holder) + " has no live node left to hold " + draft.unit(unit).describe()
                    + "; add a node to the group or drop the table");
            return;
        }
        int redundancy = redundancyFor(unit, group, redundancyChecked);
        group.units++;
        notePin(unit, group);
        UnitCopies copies = new UnitCopies(replicas);
        choosePrimary(unit, holder, group, copies);
        int replicaCount = trimReplicas(unit, holder, group, copies, redundancy);
        if (copies.promoted != null) {
            List<String> candidates = new ArrayList<>(List.of(copies.promoted));
            candidates.addAll(new TreeSet<>(concat(copies.kept, copies.drained)));
            draft.steps.add(new PromoteReplica(draft.unit(unit), holder, candidates));
        }
        draft.replicasOf.put(unit, copies.kept);
        queueCopies(unit, holder, group, copies, redundancy - replicaCount);
    }

    /** The spec's redundancy, capped (with a problem reported once per table and group) to what the group can hold. */
    private int redundancyFor(UnitKey unit, GroupWork group, Map<String, Boolean> redundancyChecked) {
        int redundancy = draft.tables.desiredRedundancy(unit.root());
        if (redundancy <= group.nodes.size() - 1) {
            return redundancy;
        }
        if (redundancyChecked.put(unit.root() + "@" + group.name, true) == null) {
            draft.problems.add("table " + unit.root() + " asks for redundancy " + redundancy + " but replication group " + group.name
                    + " has " + group.nodes.size() + " live node(s); it needs at least " + (redundancy + 1));
        }
        return group.nodes.size() - 1;
    }

    /** Keeps a live primary, drains one on a leaving node, or fails a lost one over to a replica. */
    private void choosePrimary(UnitKey unit, String holder, GroupWork group, UnitCopies copies) {
        if (draft.membership.leaving().contains(holder)) {
            copies.drainPrimaryFrom = holder;
        } else if (!draft.membership.unavailable().contains(holder)) {
            copies.primary = holder;
        } else {
            copies.promoted = chooseCandidate(unit, group, copies.kept, copies.drained);
            if (copies.promoted != null) {
                copies.kept.remove(copies.promoted);
                if (copies.drained.contains(copies.promoted)) {
                    copies.drained.remove(copies.promoted);
                }
                group.replicas.remove(copies.promoted, unit);
                if (staying.contains(copies.promoted)) {
                    copies.primary = copies.promoted;
                    group.primaries.add(copies.promoted, unit);
                } else {
                    copies.drainPrimaryFrom = copies.promoted;
                }
            }
        }
    }

    /** Drops replicas beyond the redundancy: drained ones first, then from the nodes holding the most replicas. */
    private int trimReplicas(UnitKey unit, String holder, GroupWork group, UnitCopies copies, int redundancy) {
        int total = copies.kept.size() + copies.drained.size();
        while (total > redundancy) {
            String dropped = copies.drained.isEmpty() ? mostLoaded(group, unpinned(unit, group, copies.kept)) : copies.drained.pollFirst();
            copies.kept.remove(dropped);
            group.replicas.remove(dropped, unit);
            draft.steps.add(new DropReplica(draft.unit(unit), dropped, holder));
            total--;
        }
        return total;
    }

    /** Queues the copies that need a node: a drained or re-created primary, drained replicas, missing replicas. */
    private void queueCopies(UnitKey unit, String holder, GroupWork group, UnitCopies copies, int missingReplicas) {
        if (copies.primary != null) {
            draft.primaryOf.put(unit, copies.primary);
        } else if (copies.drainPrimaryFrom != null) {
            group.unplacedPrimaries.add(Unplaced.from(unit, Unplaced.Origin.DRAIN, copies.drainPrimaryFrom));
        } else {
            group.unplacedPrimaries.add(Unplaced.from(unit, Unplaced.Origin.RECREATE, holder));
        }
        copies.drained.forEach(node -> group.unplacedReplicas.add(Unplaced.from(unit, Unplaced.Origin.DRAIN, node)));
        for (int missing = 0; missing < missingReplicas; missing++) {
            group.unplacedReplicas.add(Unplaced.of(unit, Unplaced.Origin.NEW_COPY));
        }
    }

    private static List<String> concat(NavigableSet<String> first, NavigableSet<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The replica that the plan expects to be promoted: the pinned primary's node, else staying nodes first, fewest primaries, then name. */
    private String chooseCandidate(UnitKey unit, GroupWork group, NavigableSet<String> kept, NavigableSet<String> drained) {
        PartitionPin pin = pinOf(unit, group);
        if (pin != null && kept.contains(pin.primary())) {
            return pin.primary();
        }
        String best = null;
        for (String node : kept) {
            if (best == null || group.primaries.count(node) < group.primaries.count(best)) {
                best = node;
            }
        }
        return best != null ? best : drained.isEmpty() ? null : drained.first();
    }

    /** The replicas of {@code kept} that no pin holds in place (all of them if every one is pinned). */
    private TreeSet<String> unpinned(UnitKey unit, GroupWork group, TreeSet<String> kept) {
        PartitionPin pin = pinOf(unit, group);
        if (pin == null) {
            return kept;
        }
        TreeSet<String> free = new TreeSet<>(kept);
        free.removeAll(pin.replicas());
        return free.isEmpty() ? kept : free;
    }

    /** Records that {@code unit} is pinned in {@code group}, or reports a pin to another group (data never moves between groups). */
    private void notePin(UnitKey unit, GroupWork group) {
        PartitionPin pin = draft.pin(unit);
        if (pin == null) {
            return;
        }
        String pinnedGroup = draft.membership.groupOf().get(pin.primary());
        if (!group.name.equals(pinnedGroup)) {
            draft.problems.add(pin.position() + ": table " + unit.root() + ": placement of partition " + unit.index() + " names " + pin.primary()
                    + " of replication group " + pinnedGroup + ", but the partition lives in replication group " + group.name
                    + " and data never moves between groups; pin nodes of " + group.name + " (" + String.join(", ", group.nodes) + ")");
            return;
        }
        group.pinned.add(unit);
    }

    /** The pin of {@code unit} if it is pinned in {@code group} (a pin to another group was reported and is not followed). */
    private PartitionPin pinOf(UnitKey unit, GroupWork group) {
        PartitionPin pin = draft.pin(unit);
        return pin != null && group.name.equals(draft.membership.groupOf().get(pin.primary())) ? pin : null;
    }

    private static String mostLoaded(GroupWork group, TreeSet<String> kept) {
        String best = null;
        for (String node : kept) {
            if (best == null || group.replicas.count(node) > group.replicas.count(best)) {
                best = node;
            }
        }
        return best;
    }
}
