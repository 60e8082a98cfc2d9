package dev.shardman.planner.step;

/** What a step is to the plan graph's edge rules, beyond its nodes and its data movement ({@link Step#orderingRoles()}). */
public enum OrderingRole {
    /** Adds or removes a node or its foreign servers: touches its peers without using them. */
    NODE_LIFECYCLE,
    /** Fences a lost node: runs before every step that is not itself a fence. */
    FENCES_LOST_NODE,
    /** Drops copies of data (replicas, whole tables): runs before data moves and before the channels it empties go. */
    SHRINK
}
