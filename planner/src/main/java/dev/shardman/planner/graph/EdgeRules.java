package dev.shardman.planner.graph;

import java.util.List;

/** The dependency rules of a plan, in the order they are applied (the order does not change the result). */
public final class EdgeRules {
    private EdgeRules() {
    }

    public static List<EdgeRule> all() {
        return List.of(
                new NodeRegisteredBeforeUse(),
                new ForeignServersBeforeNodeUse(),
                new LostNodeFencedFirst(),
                new DataMovementChained(),
                new ShrinkBeforeDataMovement(),
                new SchemaChangesBeforeDataMovement(),
                new ChannelCreatedBeforeUse(),
                new ChannelDroppedAfterLastUse(),
                new ColocatedTableFollowsAnchor(),
                new ColumnPhasesOrdered(),
                new IndexesFollowColumns(),
                new NodeRemovedLast(),
                new LostNodeLeavesBeforeNodesJoin());
    }
}
