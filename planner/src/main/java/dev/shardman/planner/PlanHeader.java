package dev.shardman.planner;

import static java.util.Objects.requireNonNull;

/**
 * What a plan was computed from: the cluster name and the lineage and serial of the state. A saved plan
 * is stale when the live metadata's lineage or serial differs.
 */
public record PlanHeader(String cluster, String lineage, long serial) {
    public PlanHeader {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(lineage, "lineage is null");
    }
}
