package dev.shardman.planner.step;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One step of a plan: a small immutable value holding identifiers and desired values only.
 *
 * <p>Invariants: {@link #id()} is unique within a plan and stable across runs on the same inputs;
 * {@link #nodes()} is sorted; {@link #describe()} is one line, used alike by the plan text, the apply
 * log and error messages. Steps that {@link #movesData()} run one at a time, in a chain.
 */
public sealed interface Step permits
        RegisterNode,
        CreateForeignServers,
        UpdateNode,
        UpdateSettings,
        MarkNodeLost,
        DropForeignServers,
        RemoveNode,
        CreateReplicationChannel,
        DropReplicationChannel,
        PromoteReplica,
        RecreatePartition,
        CreateReplica,
        DropReplica,
        MovePrimary,
        MoveReplica,
        CreateShardedTable,
        DropShardedTable,
        ChangeRedundancy,
        CreateSharedTable,
        DropSharedTable,
        ChangeSharedMaster,
        ChangeGrants,
        AddColumn,
        AlterColumn,
        DropColumn,
        CreateIndex,
        RecreateIndex,
        DropIndex
 {

    StepId id();

    Action action();

    /** The object the plan text groups this step under, e.g. {@code node w4} or {@code table customers}. */
    String subject();

    /**
     * The objects this step changes: partition names for data steps ({@code customers_3}, {@code orders_3}),
     * otherwise its subject ({@code table customers}, {@code node w4}).
     */
    default List<String> objects() {
        return List.of(subject());
    }

    /** Names of the nodes whose catalogs or data this step touches, sorted. */
    List<String> nodes();

    /** One line, e.g. {@code customers_3, orders_3 will be moved from w1 to w4}. */
    String describe();

    /** True when running the step can lose data that exists nowhere else. */
    default boolean dataLoss() {
        return false;
    }

    /** True for steps that copy or move table data or fail over a partition; they form the data chain. */
    default boolean movesData() {
        return dataMovement() != DataMovement.NONE;
    }

    // What the plan graph's edge rules order steps by: a rule asks the step, so a new kind needs no rule edited.

    /** Where this step stands in the chain of data-moving steps; {@link DataMovement#NONE} for most. */
    default DataMovement dataMovement() {
        return DataMovement.NONE;
    }

    /** The roles this step plays in the plan's order; none for most. */
    default Set<OrderingRole> orderingRoles() {
        return Set.of();
    }

    /** The column change this step makes, in one phase, if it is a column step. */
    default Optional<ColumnChange> columnChange() {
        return Optional.empty();
    }

    /** The index change this step makes, if it is an index step. */
    default Optional<IndexChange> indexChange() {
        return Optional.empty();
    }

    /** The flag without which the planner refuses this step; empty when it needs none. */
    default Optional<Permission> requiredPermission() {
        return Optional.empty();
    }

    /** The step kind as the JSON plan names it, e.g. {@code move_primary}. */
    default String kind() {
        return StepKinds.kindOf(getClass());
    }

    /**
     * This step's change to the state the plan leads to ({@code StateProjection} folds the plan's steps over it).
     * Throws {@link IllegalStateException} when the step breaks an invariant of that state: a planner bug.
     */
    void applyTo(ProjectedState state);
}
