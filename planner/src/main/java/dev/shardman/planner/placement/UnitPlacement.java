package dev.shardman.planner.placement;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Where a unit's copies are once the plan has run: its primary holder and its replica holders (sorted). */
public record UnitPlacement(String primary, List<String> replicas) {
    public UnitPlacement {
        requireNonNull(primary, "primary is null");
        replicas = List.copyOf(requireNonNull(replicas, "replicas is null"));
    }
}
