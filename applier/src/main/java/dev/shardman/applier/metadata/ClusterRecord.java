package dev.shardman.applier.metadata;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** The cluster row of the shardlord: the cluster's name, its lineage (a UUID), its serial and when it was created. */
public record ClusterRecord(String name, String lineage, long serial, Instant createdAt) {
    public ClusterRecord {
        requireNonNull(name, "name is null");
        requireNonNull(lineage, "lineage is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
