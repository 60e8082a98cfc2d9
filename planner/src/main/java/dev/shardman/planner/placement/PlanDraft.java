package dev.shardman.planner.placement;

import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.model.state.PartitionState;
import dev.shardman.planner.diff.Membership;
import dev.shardman.planner.diff.Problems;
import dev.shardman.planner.diff.TableDiff;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.RecreatePartition;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What placement has decided so far, shared by its phases: each unit's primary and replicas, the steps that
 * get them there and the warnings, beside the inputs they are decided from.
 */
final class PlanDraft {
    final Membership membership;
    final TableDiff tables;
    final Problems problems;
    final Steering steering;
    final List<Step> steps = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** Sized for the state's units up front: growing maps of hundreds of thousands of entries rehash them again and again. */
    final Map<UnitKey, String> primaryOf;
    final Map<UnitKey, TreeSet<String>> replicasOf;
    final Map<String, PartitionUnit> unitTemplates = new HashMap<>();
    final Map<String, Integer> partitionCounts = new LinkedHashMap<>();
    final TreeMap<String, GroupWork> groups = new TreeMap<>();
    /** The partitions' sizes, for balancing by size ({@link PartitionBytes#UNKNOWN} when none were read). */
    final PartitionBytes partitionBytes;
    private final Map<UnitKey, Long> unitBytes = new HashMap<>();
    /** The pins hashed: {@link Steering#pins} is sorted, and settling asks it once per unit (seven comparisons each). */
    private final Map<UnitKey, PartitionPin> pins;

    PlanDraft(Membership membership, TableDiff tables, Steering steering, Problems problems, PartitionBytes partitionBytes, int existingUnits) {
        this.partitionBytes = partitionBytes;
        this.primaryOf = new HashMap<>(capacityFor(existingUnits));
        this.replicasOf = new HashMap<>(capacityFor(existingUnits));
        this.membership = membership;
        this.tables = tables;
        this.problems = problems;
        this.steering = steering;
        this.pins = new HashMap<>(steering.pins());
        membership.liveNodesByGroup().forEach((group, nodes) -> groups.put(group, new GroupWork(group, nodes, steering)));
    }

    /** The pin of {@code unit}, or null. */
    PartitionPin pin(UnitKey unit) {
        return pins.get(unit);
    }

    /** The initial capacity of a hash map that holds {@code entries} without growing (at its default load factor). */
    static int capacityFor(int entries) {
        return (int) Math.min(1L << 30, entries * 4L / 3 + 1);
    }

    PartitionUnit unit(UnitKey key) {
        PartitionUnit template = unitTemplates.get(key.root());
        return new PartitionUnit(template.tables(), key.index());
    }

    /**
     * What a unit weighs when balancing by size: its partitions' bytes (those of every table colocated in it; 0 for a
     * partition the plan creates) plus the spec's base bytes.
     */
    long bytes(UnitKey key) {
        return unitBytes.computeIfAbsent(key, unit -> {
            long sum = steering.balance().baseBytes();
            for (String table : unitTemplates.get(unit.root()).tables()) {
                sum += partitionBytes.of(PartitionState.name(table, unit.index())).orElse(0L);
            }
            return sum;
        });
    }

    /** Adds the step that brings a waiting primary to {@code node}: a move for a drained one, a re-creation for a lost one. */
    void addPrimaryStep(Unplaced copy, String node) {
        switch (copy.origin()) {
            case DRAIN -> steps.add(new MovePrimary(unit(copy.unit()), copy.from().orElseThrow(), node));
            case RECREATE -> steps.add(new RecreatePartition(unit(copy.unit()), copy.from().orElseThrow(), node));
            case NEW_TABLE, NEW_COPY -> {
            }
        }
    }

    /** Adds the step that brings a waiting replica to {@code node}: a move for a drained one, a copy for a missing one. */
    void addReplicaStep(Unplaced copy, String node, String primary) {
        switch (copy.origin()) {
            case DRAIN -> steps.add(new MoveReplica(unit(copy.unit()), copy.from().orElseThrow(), node, primary));
            case NEW_COPY -> steps.add(new CreateReplica(unit(copy.unit()), node, primary));
            case RECREATE, NEW_TABLE -> {
            }
        }
    }
}
