package dev.shardman.planner.placement;

import dev.shardman.planner.step.Step;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The data steps placement asks for (failovers, copies, moves, replica drops), the final placement
 * of every unit, by colocation root then partition index, and warnings about groups it cannot balance.
 */
public record PlacementResult(List<Step> steps, Map<String, List<UnitPlacement>> finalPlacement, List<String> warnings) {
    public PlacementResult {
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        finalPlacement = Map.copyOf(requireNonNull(finalPlacement, "finalPlacement is null"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
    }
}
