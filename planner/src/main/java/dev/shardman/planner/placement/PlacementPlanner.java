package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.diff.Membership;
import dev.shardman.planner.diff.Problems;
import dev.shardman.planner.diff.TableDiff;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.PromoteReplica;
import dev.shardman.planner.step.RecreatePartition;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides where every partition unit lives after the plan, and the data steps that get it there.
 *
 * <p>Per unit: a primary on a lost node fails over to a live replica (the staying candidate holding
 * the fewest primaries, ties by name) or, with none, is re-created empty; copies on leaving nodes are
 * drained; replicas beyond the redundancy are dropped (drained copies first, then from the nodes
 * holding the most replicas); missing replicas are created. New tables' units go to the group with
 * the fewest units per node. Then, inside each group, {@link GroupBalancer} balances primaries, then
 * replicas, with the fewest moves; where the primaries it chose leave the replicas no balanced placement,
 * or a unit has a copy on every node and the first way moved something, the group is placed again by
 * {@link JointPlacement} (both roles: an exact search over min-cost flows on kinds of alike units), which
 * also proves when no moves can balance a group. Units count alike whatever their colocation root: the
 * balance is of units per node summed over all tables. Runs in O(units · log) plus O(moves · roots per node)
 * when the first way balances the group.
 */
public final class PlacementPlanner {
    private final Membership membership;
    private final TableDiff tables;
    private final Problems problems;
    private final Steering steering;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<UnitKey, String> primaryOf = new HashMap<>();
    private final Map<UnitKey, TreeSet<String>> replicasOf = new HashMap<>();
    private final Map<String, PartitionUnit> unitTemplates = new HashMap<>();
    private final Map<String, Integer> partitionCounts = new LinkedHashMap<>();
    private final TreeMap<String, GroupWork> groups = new TreeMap<>();
    /** While a group is balanced: how to undo each change of primaryOf and replicasOf, in order; otherwise null. */
    private List<Runnable> journal;

    private PlacementPlanner(Membership membership, TableDiff tables, Steering steering, Problems problems) {
        this.membership = membership;
        this.tables = tables;
        this.problems = problems;
        this.steering = steering;
        membership.liveNodesByGroup().forEach((group, nodes) -> groups.put(group, new GroupWork(group, nodes, steering)));
    }

    public static PlacementResult plan(ClusterState state, Membership membership, TableDiff tables, Problems problems) {
        return plan(state, membership, tables, Steering.NONE, problems);
    }

    public static PlacementResult plan(ClusterState state, Membership membership, TableDiff tables, Steering steering, Problems problems) {
        return new PlacementPlanner(membership, tables, steering, problems).run(state);
    }

    private PlacementResult run(ClusterState state) {
        List<Map.Entry<UnitKey, String>> holders = new ArrayList<>();
        Map<UnitKey, TreeSet<String>> copies = new HashMap<>();
        loadExistingUnits(state, holders, copies);
        holders.sort(Map.Entry.comparingByKey());
        for (Map.Entry<UnitKey, String> entry : holders) {
            UnitKey unit = entry.getKey();
            TreeSet<String> replicas = copies.getOrDefault(unit, new TreeSet<>());
            GroupWork group = groups.get(membership.groupOf().get(entry.getValue()));
            if (group != null) {
                if (membership.isStaying(entry.getValue())) {
                    group.primaries.append(entry.getValue(), unit);
                }
                for (String node : replicas) {
                    if (group.replicas.tracks(node)) {
                        group.replicas.append(node, unit);
                    }
                }
            }
        }
        groups.values().forEach(group -> {
            group.primaries.finishAppending();
            group.replicas.finishAppending();
        });
        Map<String, Boolean> redundancyChecked = new HashMap<>();
        holders.forEach(entry -> settleExistingUnit(entry.getKey(), entry.getValue(), copies.getOrDefault(entry.getKey(), new TreeSet<>()), redundancyChecked));
        placeNewTables();
        for (GroupWork group : groups.values()) {
            new Pinning(group).apply();
            balance(group);
        }
        return new PlacementResult(steps, finalPlacement(), warnings);
    }

    /** Fills {@code holders} in the state's partition order (nearly sorted: the caller sorts it, in about linear time). */
    private void loadExistingUnits(ClusterState state, List<Map.Entry<UnitKey, String>> holders, Map<UnitKey, TreeSet<String>> copies) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (TableState table : tables.keptSharded()) {
            String root = tables.rootOf(table.name());
            members.computeIfAbsent(root, key -> new ArrayList<>()).add(table.name());
        }
        members.forEach((root, list) -> {
            List<String> ordered = new ArrayList<>(List.of(root));
            list.stream().filter(table -> !table.equals(root)).forEach(ordered::add);
            unitTemplates.put(root, new PartitionUnit(ordered, 0));
        });
        tables.keptSharded().stream().filter(table -> members.containsKey(table.name()))
                .forEach(table -> partitionCounts.put(table.name(), table.partitions()));
        Map<String, UnitKey> partitionUnits = new HashMap<>();
        for (PartitionState partition : state.partitions()) {
            if (members.containsKey(partition.table())) {
                UnitKey unit = new UnitKey(partition.table(), partition.index());
                holders.add(Map.entry(unit, partition.node()));
                partitionUnits.put(partition.name(), unit);
            }
        }
        for (ReplicaState replica : state.replicas()) {
            UnitKey unit = partitionUnits.get(replica.partition());
            if (unit != null) {
                copies.computeIfAbsent(unit, key -> new TreeSet<>()).add(replica.node());
            }
        }
    }

    private PartitionUnit unit(UnitKey key) {
        PartitionUnit template = unitTemplates.get(key.root());
        return new PartitionUnit(template.tables(), key.index());
    }

    /** The copies of one existing unit while it is being settled: where its primary ends up and which replicas stay. */
    private static final class UnitCopies {
        final TreeSet<String> kept = new TreeSet<>();
        final TreeSet<String> drained = new TreeSet<>();
        String primary;
        String drainPrimaryFrom;
        String promoted;
    }

    /**
     * Fails over, drains and trims one existing unit, queueing for the balancers every copy that needs a
     * node. Emits PromoteReplica and DropReplica steps; moves and copies come from the balancers.
     */
    private void settleExistingUnit(UnitKey unit, String holder, TreeSet<String> replicas, Map<String, Boolean> redundancyChecked) {
        String groupName = membership.groupOf().get(holder);
        GroupWork group = groups.get(groupName);
        if (group == null || group.nodes.isEmpty()) {
            problems.add("replication group " + groupName + " has no live node left to hold " + unit(unit).describe()
                    + "; add a node to the group or drop the table");
            return;
        }
        int redundancy = redundancyFor(unit, group, redundancyChecked);
        group.units++;
        notePin(unit, group);
        UnitCopies copies = new UnitCopies();
        for (String node : replicas) {
            if (membership.isStaying(node)) {
                copies.kept.add(node);
            } else if (membership.leaving().contains(node)) {
                copies.drained.add(node);
            }
        }
        choosePrimary(unit, holder, group, copies);
        int replicaCount = trimReplicas(unit, holder, group, copies, redundancy);
        if (copies.promoted != null) {
            List<String> candidates = new ArrayList<>(List.of(copies.promoted));
            candidates.addAll(new TreeSet<>(concat(copies.kept, copies.drained)));
            steps.add(new PromoteReplica(unit(unit), holder, candidates));
        }
        replicasOf.put(unit, copies.kept);
        queueCopies(unit, holder, group, copies, redundancy - replicaCount);
    }

    /** The spec's redundancy, capped (with a problem reported once per table and group) to what the group can hold. */
    private int redundancyFor(UnitKey unit, GroupWork group, Map<String, Boolean> redundancyChecked) {
        int redundancy = tables.desiredRedundancy(unit.root());
        if (redundancy <= group.nodes.size() - 1) {
            return redundancy;
        }
        if (redundancyChecked.put(unit.root() + "@" + group.name, true) == null) {
            problems.add("table " + unit.root() + " asks for redundancy " + redundancy + " but replication group " + group.name
                    + " has " + group.nodes.size() + " live node(s); it needs at least " + (redundancy + 1));
        }
        return group.nodes.size() - 1;
    }

    /** Keeps a live primary, drains one on a leaving node, or fails a lost one over to a replica. */
    private void choosePrimary(UnitKey unit, String holder, GroupWork group, UnitCopies copies) {
        if (membership.leaving().contains(holder)) {
            copies.drainPrimaryFrom = holder;
        } else if (!membership.unavailable().contains(holder)) {
            copies.primary = holder;
        } else {
            copies.promoted = chooseCandidate(unit, group, copies.kept, copies.drained);
            if (copies.promoted != null) {
                copies.kept.remove(copies.promoted);
                copies.drained.remove(copies.promoted);
                group.replicas.remove(copies.promoted, unit);
                if (membership.isStaying(copies.promoted)) {
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
            steps.add(new DropReplica(unit(unit), dropped, holder));
            total--;
        }
        return total;
    }

    /** Queues the copies that need a node: a drained or re-created primary, drained replicas, missing replicas. */
    private void queueCopies(UnitKey unit, String holder, GroupWork group, UnitCopies copies, int missingReplicas) {
        if (copies.primary != null) {
            primaryOf.put(unit, copies.primary);
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

    private static List<String> concat(TreeSet<String> first, TreeSet<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The replica that the plan expects to be promoted: the pinned primary's node, else staying nodes first, fewest primaries, then name. */
    private String chooseCandidate(UnitKey unit, GroupWork group, TreeSet<String> kept, TreeSet<String> drained) {
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
        PartitionPin pin = steering.pins().get(unit);
        if (pin == null) {
            return;
        }
        String pinnedGroup = membership.groupOf().get(pin.primary());
        if (!group.name.equals(pinnedGroup)) {
            problems.add(pin.position() + ": table " + unit.root() + ": placement of partition " + unit.index() + " names " + pin.primary()
                    + " of replication group " + pinnedGroup + ", but the partition lives in replication group " + group.name
                    + " and data never moves between groups; pin nodes of " + group.name + " (" + String.join(", ", group.nodes) + ")");
            return;
        }
        group.pinned.add(unit);
    }

    /** The pin of {@code unit} if it is pinned in {@code group} (a pin to another group was reported and is not followed). */
    private PartitionPin pinOf(UnitKey unit, GroupWork group) {
        PartitionPin pin = steering.pins().get(unit);
        return pin != null && group.name.equals(membership.groupOf().get(pin.primary())) ? pin : null;
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

    /**
     * New colocation roots: each partition to the group holding the fewest units per unit of weight (per live node
     * when weights are even; ties by name), or, when pinned, to its pin's group.
     */
    private void placeNewTables() {
        List<GroupWork> usable = groups.values().stream().filter(group -> !group.nodes.isEmpty()).toList();
        PriorityQueue<GroupWork> byLoad = new PriorityQueue<>((left, right) -> {
            int compared = Long.compare(left.units * right.weight, right.units * left.weight);
            return compared != 0 ? compared : left.name.compareTo(right.name);
        });
        byLoad.addAll(usable);
        for (TableState table : tables.newSharded()) {
            if (!tables.rootOf(table.name()).equals(table.name())) {
                continue;
            }
            if (usable.isEmpty()) {
                problems.add("table " + table.name() + " cannot be placed: the spec has no live node");
                continue;
            }
            unitTemplates.put(table.name(), new PartitionUnit(List.of(table.name()), 0));
            partitionCounts.put(table.name(), table.partitions());
            for (GroupWork group : usable) {
                if (table.redundancy() > group.nodes.size() - 1) {
                    problems.add("table " + table.name() + " asks for redundancy " + table.redundancy() + " but replication group "
                            + group.name + " has " + group.nodes.size() + " live node(s); it needs at least " + (table.redundancy() + 1));
                    return;
                }
            }
            for (int index = 0; index < table.partitions(); index++) {
                UnitKey unit = new UnitKey(table.name(), index);
                PartitionPin pin = steering.pins().get(unit);
                GroupWork group = pin == null ? byLoad.poll() : groups.get(membership.groupOf().get(pin.primary()));
                if (pin != null) {
                    byLoad.remove(group);
                    group.pinned.add(unit);
                }
                group.units++;
                group.unplacedPrimaries.add(Unplaced.of(unit, Unplaced.Origin.NEW_TABLE));
                replicasOf.put(unit, new TreeSet<>());
                for (int copy = 0; copy < table.redundancy(); copy++) {
                    group.unplacedReplicas.add(Unplaced.of(unit, Unplaced.Origin.NEW_TABLE));
                }
                byLoad.add(group);
            }
        }
    }

    /**
     * Primaries then replicas with {@link GroupBalancer}; if that leaves a role unbalanced, undoes it and places
     * both roles with {@link JointPlacement}. When that proves that no placement reachable by moves is balanced,
     * only the copies that need a node are placed, nothing is moved to balance, and the plan says so (so that
     * planning again finds the same and does nothing); if it stays undecided, the first result stays. Where some
     * unit has a copy on every node, the roles interact and the replica stage may move one more than needed: the
     * first result stays only if neither the joint placement nor the least-move replicas behind its primaries
     * move fewer (primary moves first, then replica moves).
     */
    private void balance(GroupWork group) {
        if (group.steered()) {
            balanceSteered(group);
            return;
        }
        int stepsBefore = steps.size();
        journal = new ArrayList<>();
        balancePrimaries(group, true);
        balanceReplicas(group, true);
        List<Runnable> undo = journal;
        journal = null;
        boolean firstBalanced = balanced(group.primaries, group.nodes, Map.of()) && balanced(group.replicas, group.nodes, Map.of());
        if (firstBalanced && (!hasMoves(steps.subList(stepsBefore, steps.size())) || !hasUnitOnEveryNode(group))) {
            return;
        }
        List<UnitKey> keys = groupUnits(group);
        List<Step> firstSteps = new ArrayList<>(steps.subList(stepsBefore, steps.size()));
        Map<UnitKey, String> primariesAfter = new HashMap<>();
        Map<UnitKey, TreeSet<String>> replicasAfter = new HashMap<>();
        keys.forEach(key -> {
            primariesAfter.put(key, primaryOf.get(key));
            replicasAfter.put(key, new TreeSet<>(replicasOf.get(key)));
        });
        Runnable keepFirst = () -> {
            steps.subList(stepsBefore, steps.size()).clear();
            steps.addAll(firstSteps);
            primariesAfter.forEach((key, node) -> {
                if (node == null) {
                    primaryOf.remove(key);
                } else {
                    primaryOf.put(key, node);
                }
            });
            replicasAfter.forEach((key, nodes) -> replicasOf.put(key, new TreeSet<>(nodes)));
        };
        for (int index = undo.size() - 1; index >= 0; index--) {
            undo.get(index).run();
        }
        List<JointPlacement.Unit> units = unitsBeforeBalancing(group, keys);
        JointPlacement.Search joint = JointPlacement.place(group.nodes, units);
        if (joint.result() == null && joint.decided()) {
            steps.subList(stepsBefore, steps.size()).clear();
            refillHoldings(group, keys);
            balancePrimaries(group, false);
            balanceReplicas(group, false);
            warnings.add("replication group " + group.name + " cannot be balanced by moving partitions: no placement of its primaries"
                    + " with per-node counts within one of each other that keeps each off the nodes holding its replicas leaves the"
                    + " replicas one (as with a redundancy of the group's size minus one); nothing is moved to balance it. Add a node"
                    + " to the group or lower the redundancy, then run plan");
            return;
        }
        if (joint.result() == null) {
            keepFirst.run();
            return;
        }
        List<JointPlacement.Result> candidates = new ArrayList<>(List.of(joint.result()));
        if (firstBalanced) {
            JointPlacement.Result behind = JointPlacement.behind(group.nodes, units, primariesAfter);
            if (behind != null) {
                candidates.add(0, behind);
            }
        }
        List<Step> best = firstBalanced ? firstSteps : null;
        JointPlacement.Result chosen = null;
        for (JointPlacement.Result candidate : candidates) {
            List<Step> tried = placeJointly(stepsBefore, units, candidate);
            if (best == null || fewerMoves(tried, best)) {
                best = tried;
                chosen = candidate;
            }
        }
        if (chosen == null) {
            keepFirst.run();
        } else {
            placeJointly(stepsBefore, units, chosen);
        }
    }

    /** Replaces the steps from {@code stepsBefore} on with those of {@code result} and records it; returns those steps. */
    private List<Step> placeJointly(int stepsBefore, List<JointPlacement.Unit> units, JointPlacement.Result result) {
        steps.subList(stepsBefore, steps.size()).clear();
        units.forEach(unit -> placeJointly(unit, result));
        return new ArrayList<>(steps.subList(stepsBefore, steps.size()));
    }

    /** Whether the group holds a unit of a table that asks for a copy on every node (a check per root, not per unit). */
    private boolean hasUnitOnEveryNode(GroupWork group) {
        for (String root : partitionCounts.keySet()) {
            if (group.nodes.size() >= 2 && tables.desiredRedundancy(root) >= group.nodes.size() - 1
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
            String primary = primaryOf.get(key);
            if (primary != null) {
                group.primaries.add(primary, key);
            }
            replicasOf.get(key).forEach(node -> group.replicas.add(node, key));
        }
    }

    /**
     * A group with pins or uneven weights: {@link GroupBalancer} alone, against its weighted targets around the
     * pins ({@link JointPlacement} knows neither). When a role ends outside its tolerance, the attempt is undone:
     * only the copies that need a node are placed, nothing moves to balance, and the plan warns (so that planning
     * again finds the same and does nothing). Weights no placement can meet are a problem ({@link #checkWeights}).
     */
    private void balanceSteered(GroupWork group) {
        if (!checkWeights(group)) {
            return;
        }
        int stepsBefore = steps.size();
        journal = new ArrayList<>();
        balancePrimaries(group, true);
        balanceReplicas(group, true);
        List<Runnable> undo = journal;
        journal = null;
        boolean primariesBalanced = balanced(group.primaries, group.nodes, group.pinnedPrimaries);
        if (primariesBalanced && balanced(group.replicas, group.nodes, group.pinnedReplicas)) {
            return;
        }
        TreeSet<UnitKey> keys = new TreeSet<>(groupUnits(group));
        keys.addAll(group.pinned);
        steps.subList(stepsBefore, steps.size()).clear();
        for (int index = undo.size() - 1; index >= 0; index--) {
            undo.get(index).run();
        }
        refillSteered(group, keys);
        balancePrimaries(group, false);
        balanceReplicas(group, false);
        warnings.add("replication group " + group.name + " cannot be balanced to within one partition of each node's weighted share of "
                + (primariesBalanced ? "replicas" : "primaries") + " around its pins (a node holds at most one copy of a partition); nothing"
                + " is moved to balance it. Check the group's pins and weights, or add a node, then run plan");
    }

    /** Rebuilds a steered group's holdings after an undone attempt: every copy of {@code keys} except the pinned ones. */
    private void refillSteered(GroupWork group, TreeSet<UnitKey> keys) {
        group.primaries = new Holdings(group.nodes);
        group.replicas = new Holdings(group.nodes);
        for (UnitKey key : keys) {
            PartitionPin pin = group.pinned.contains(key) ? steering.pins().get(key) : null;
            String primary = primaryOf.get(key);
            if (primary != null && pin == null) {
                group.primaries.add(primary, key);
            }
            replicasOf.get(key).stream().filter(node -> pin == null || !pin.replicas().contains(node)).forEach(node -> group.replicas.add(node, key));
        }
    }

    /**
     * A node holds at most one copy of each of the group's units, so its floor shares of primaries and of replicas
     * together must not exceed the units: a node weighing over 1/(redundancy + 1) of its group cannot get its share.
     * Reports such weights as a problem (false).
     */
    private boolean checkWeights(GroupWork group) {
        long units = group.primaries.total() + group.unplacedPrimaries.size() + group.pinnedPrimaries.values().stream().mapToLong(Integer::longValue).sum();
        Targets primaries = targets(group.primaries, group.nodes, group.pinnedPrimaries, group.unplacedPrimaries.size());
        Targets replicas = targets(group.replicas, group.nodes, group.pinnedReplicas, group.unplacedReplicas.size());
        for (String node : group.nodes) {
            if (primaries.floor(node) + replicas.floor(node) > units) {
                problems.add("replication group " + group.name + " cannot give " + node + " its weighted share: " + primaries.floor(node)
                        + " primaries and " + replicas.floor(node) + " replicas, but a node holds at most one copy of each of the group's "
                        + units + " partitions (a node may weigh at most 1/(redundancy + 1) of its group); lower the weight of " + node
                        + " or add nodes to " + group.name);
                return false;
            }
        }
        return true;
    }

    private Targets targets(Holdings holdings, List<String> nodes, Map<String, Integer> pinned, int unplaced) {
        long total = holdings.total() + unplaced + pinned.values().stream().mapToLong(Integer::longValue).sum();
        return Targets.compute(nodes, node -> holdings.count(node) + pinned.getOrDefault(node, 0), pinned, steering.weights(), total);
    }

    /** Whether every node holds its floor or one more of its share (see {@link Targets}), pinned copies counted. */
    private boolean balanced(Holdings holdings, List<String> nodes, Map<String, Integer> pinned) {
        Targets targets = targets(holdings, nodes, pinned, 0);
        return nodes.stream().allMatch(node -> targets.accepts(node, holdings.count(node) + pinned.getOrDefault(node, 0)));
    }

    /** The units whose primary is in the group after balancing, in unit order. */
    private static List<UnitKey> groupUnits(GroupWork group) {
        TreeSet<UnitKey> keys = new TreeSet<>();
        group.nodes.forEach(node -> keys.addAll(group.primaries.unitsOn(node)));
        return List.copyOf(keys);
    }

    /** The group's units as they were before balancing (call after undoing it), in unit order. */
    private List<JointPlacement.Unit> unitsBeforeBalancing(GroupWork group, List<UnitKey> keys) {
        Map<UnitKey, Unplaced> unplacedPrimary = new HashMap<>();
        group.unplacedPrimaries.forEach(copy -> unplacedPrimary.put(copy.unit(), copy));
        Map<UnitKey, List<Unplaced>> unplacedReplicas = new HashMap<>();
        group.unplacedReplicas.forEach(copy -> unplacedReplicas.computeIfAbsent(copy.unit(), key -> new ArrayList<>()).add(copy));
        List<JointPlacement.Unit> units = new ArrayList<>();
        for (UnitKey key : keys) {
            units.add(new JointPlacement.Unit(key, primaryOf.get(key), unplacedPrimary.get(key), new TreeSet<>(replicasOf.get(key)),
                    unplacedReplicas.getOrDefault(key, List.of())));
        }
        return units;
    }

    /** Records one unit's joint placement and the steps that get it there (moves pair the copies that leave with the nodes that gain one). */
    private void placeJointly(JointPlacement.Unit unit, JointPlacement.Result joint) {
        UnitKey key = unit.key();
        String primary = joint.primaries().get(key);
        if (unit.primary() != null && !unit.primary().equals(primary)) {
            steps.add(new MovePrimary(unit(key), unit.primary(), primary));
        } else if (unit.unplacedPrimary() != null) {
            Unplaced copy = unit.unplacedPrimary();
            switch (copy.origin()) {
                case DRAIN -> steps.add(new MovePrimary(unit(key), copy.from().orElseThrow(), primary));
                case RECREATE -> steps.add(new RecreatePartition(unit(key), copy.from().orElseThrow(), primary));
                case NEW_TABLE, NEW_COPY -> {
                }
            }
        }
        primaryOf.put(key, primary);
        TreeSet<String> replicas = joint.replicas().get(key);
        List<String> gained = replicas.stream().filter(node -> !unit.keptReplicas().contains(node)).toList();
        List<String> left = unit.keptReplicas().stream().filter(node -> !replicas.contains(node)).toList();
        int next = 0;
        for (String from : left) {
            steps.add(new MoveReplica(unit(key), from, gained.get(next++), primary));
        }
        for (Unplaced copy : unit.unplacedReplicas()) {
            String node = gained.get(next++);
            switch (copy.origin()) {
                case DRAIN -> steps.add(new MoveReplica(unit(key), copy.from().orElseThrow(), node, primary));
                case NEW_COPY -> steps.add(new CreateReplica(unit(key), node, primary));
                case RECREATE, NEW_TABLE -> {
                }
            }
        }
        replicasOf.put(key, replicas);
    }

    /**
     * Puts a group's pinned units where their pins say, before balancing: a copy not yet on its pinned node is
     * moved there, or placed there when it was waiting for a node (a waiting replica first, then a held one that
     * no pin keeps); the pinned copies then leave the holdings, so the balancer counts them as load it never
     * moves. A primary pinned onto a node that holds its replica swaps them ({@link #swap}).
     */
    private final class Pinning {
        private final GroupWork group;
        private final Map<UnitKey, Unplaced> waitingPrimary = new HashMap<>();
        private final Map<UnitKey, List<Unplaced>> waitingReplicas = new HashMap<>();

        Pinning(GroupWork group) {
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
            group.pinned.forEach(unit -> place(unit, steering.pins().get(unit)));
        }

        /** Places one pinned unit. */
        private void place(UnitKey unit, PartitionPin pin) {
            if (replicasOf.get(unit).contains(pin.primary())) {
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
            String holder = primaryOf.get(unit) != null ? primaryOf.get(unit) : waiting.from().orElseThrow();
            steps.add(new DropReplica(unit(unit), node, holder));
            replicasOf.get(unit).remove(node);
            group.replicas.remove(node, unit);
            waitingReplicas.computeIfAbsent(unit, key -> new ArrayList<>()).add(Unplaced.of(unit, Unplaced.Origin.NEW_COPY));
        }

        private void placePrimary(UnitKey unit, String node) {
            Unplaced waiting = waitingPrimary.remove(unit);
            String current = primaryOf.get(unit);
            if (waiting != null) {
                switch (waiting.origin()) {
                    case DRAIN -> steps.add(new MovePrimary(unit(unit), waiting.from().orElseThrow(), node));
                    case RECREATE -> steps.add(new RecreatePartition(unit(unit), waiting.from().orElseThrow(), node));
                    case NEW_TABLE, NEW_COPY -> {
                    }
                }
            } else if (current != null) {
                group.primaries.remove(current, unit);
                if (!current.equals(node)) {
                    steps.add(new MovePrimary(unit(unit), current, node));
                }
            }
            primaryOf.put(unit, node);
            group.pinnedPrimaries.merge(node, 1, Integer::sum);
        }

        private void placeReplica(UnitKey unit, String node, PartitionPin pin) {
            TreeSet<String> replicas = replicasOf.get(unit);
            if (replicas.contains(node)) {
                group.replicas.remove(node, unit);
            } else if (!waitingReplicas.getOrDefault(unit, List.of()).isEmpty()) {
                Unplaced copy = waitingReplicas.get(unit).remove(0);
                switch (copy.origin()) {
                    case DRAIN -> steps.add(new MoveReplica(unit(unit), copy.from().orElseThrow(), node, pin.primary()));
                    case NEW_COPY -> steps.add(new CreateReplica(unit(unit), node, pin.primary()));
                    case NEW_TABLE, RECREATE -> {
                    }
                }
                replicas.add(node);
            } else {
                Optional<String> from = replicas.stream().filter(held -> !pin.replicas().contains(held)).findFirst();
                if (from.isEmpty()) {
                    problems.add(pin.position() + ": table " + unit.root() + ": placement of partition " + unit.index() + " names more replicas"
                            + " than the partition keeps in replication group " + group.name + "; name fewer nodes");
                    return;
                }
                group.replicas.remove(from.get(), unit);
                replicas.remove(from.get());
                steps.add(new MoveReplica(unit(unit), from.get(), node, pin.primary()));
                replicas.add(node);
            }
            group.pinnedReplicas.merge(node, 1, Integer::sum);
        }
    }

    /** Records how to undo a change of a unit's primary ({@code previous}: its primary before, or null). */
    private void remember(UnitKey unit, String previous) {
        if (journal != null) {
            journal.add(previous == null ? () -> primaryOf.remove(unit) : () -> primaryOf.put(unit, previous));
        }
    }

    /** Places the group's primaries that need a node, and with {@code moveCopies} balances them (see {@link GroupBalancer}). */
    private void balancePrimaries(GroupWork group, boolean moveCopies) {
        GroupBalancer.Loads loads = new GroupBalancer.Loads(group.pinnedPrimaries, steering.weights());
        GroupBalancer.Result result = GroupBalancer.balance(group.nodes, group.primaries, group.unplacedPrimaries, moveCopies, loads, new GroupBalancer.Rules() {
            @Override
            public boolean canPlace(UnitKey unit, String node) {
                return !replicasOf.get(unit).contains(node);
            }

            @Override
            public void place(UnitKey unit, String node) {
                remember(unit, primaryOf.put(unit, node));
            }

            @Override
            public void unplace(UnitKey unit, String node) {
                remember(unit, primaryOf.remove(unit));
            }
        });
        for (GroupBalancer.Assignment assignment : result.assignments()) {
            Unplaced copy = assignment.unplaced();
            switch (copy.origin()) {
                case DRAIN -> steps.add(new MovePrimary(unit(copy.unit()), copy.from().orElseThrow(), assignment.node()));
                case RECREATE -> steps.add(new RecreatePartition(unit(copy.unit()), copy.from().orElseThrow(), assignment.node()));
                case NEW_TABLE, NEW_COPY -> {
                }
            }
        }
        result.moves().forEach(move -> steps.add(new MovePrimary(unit(move.unit()), move.from(), move.to())));
        reportUnplaceable(group, result, "primary");
    }

    /** Places the group's replicas that need a node, and with {@code moveCopies} balances them. */
    private void balanceReplicas(GroupWork group, boolean moveCopies) {
        Map<UnitKey, Integer> rounds = rounds(group);
        GroupBalancer.Loads loads = new GroupBalancer.Loads(group.pinnedReplicas, steering.weights());
        GroupBalancer.Result result = GroupBalancer.balance(group.nodes, group.replicas, group.unplacedReplicas, moveCopies, loads, new GroupBalancer.Rules() {
            @Override
            public boolean canPlace(UnitKey unit, String node) {
                return !node.equals(primaryOf.get(unit)) && !replicasOf.get(unit).contains(node);
            }

            @Override
            public void place(UnitKey unit, String node) {
                if (replicasOf.get(unit).add(node) && journal != null) {
                    journal.add(() -> replicasOf.get(unit).remove(node));
                }
            }

            @Override
            public void unplace(UnitKey unit, String node) {
                if (replicasOf.get(unit).remove(node) && journal != null) {
                    journal.add(() -> replicasOf.get(unit).add(node));
                }
            }

            /** Rotates the first choice after the primary by round, so one node's primaries replicate to several peers. */
            @Override
            public int preference(UnitKey unit, String node) {
                int size = group.nodes.size();
                int primary = Math.max(0, java.util.Collections.binarySearch(group.nodes, primaryOf.get(unit)));
                int offset = size > 1 ? 1 + rounds.getOrDefault(unit, 0) % (size - 1) : 0;
                int position = java.util.Collections.binarySearch(group.nodes, node);
                return Math.floorMod(position - primary - offset, size);
            }
        });
        for (GroupBalancer.Assignment assignment : result.assignments()) {
            Unplaced copy = assignment.unplaced();
            UnitKey key = copy.unit();
            switch (copy.origin()) {
                case DRAIN -> steps.add(new MoveReplica(unit(key), copy.from().orElseThrow(), assignment.node(), primaryOf.get(key)));
                case NEW_COPY -> steps.add(new CreateReplica(unit(key), assignment.node(), primaryOf.get(key)));
                case RECREATE, NEW_TABLE -> {
                }
            }
        }
        result.moves().forEach(move -> steps.add(new MoveReplica(unit(move.unit()), move.from(), move.to(), primaryOf.get(move.unit()))));
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
            problems.add("replication group " + group.name + " has no node that can take a " + role + " of " + first.unit().root() + "_"
                    + first.unit().index() + (result.unplaceable().size() > 1 ? " (and " + (result.unplaceable().size() - 1) + " more)" : "")
                    + "; add nodes to the group or lower the redundancy");
        }
    }

    private Map<String, List<UnitPlacement>> finalPlacement() {
        Map<String, List<UnitPlacement>> placement = new HashMap<>();
        partitionCounts.forEach((root, count) -> {
            List<UnitPlacement> units = new ArrayList<>(count);
            for (int index = 0; index < count; index++) {
                UnitKey unit = new UnitKey(root, index);
                String primary = primaryOf.get(unit);
                units.add(primary == null ? null : new UnitPlacement(primary, List.copyOf(replicasOf.getOrDefault(unit, new TreeSet<>()))));
            }
            placement.put(root, java.util.Collections.unmodifiableList(units));
        });
        return placement;
    }
}
