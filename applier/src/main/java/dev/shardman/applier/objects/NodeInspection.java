package dev.shardman.applier.objects;

import static java.util.Objects.requireNonNull;

/** What the inspector observed on one node, and how many catalog queries it took (independent of the number of tables). */
public record NodeInspection(String node, NodeObjects observed, int queries) {
    public NodeInspection {
        requireNonNull(node, "node is null");
        requireNonNull(observed, "observed is null");
    }
}
