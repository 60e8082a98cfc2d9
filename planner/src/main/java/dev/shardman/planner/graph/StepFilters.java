package dev.shardman.planner.graph;

import dev.shardman.planner.step.CreateForeignServers;
import dev.shardman.planner.step.DropForeignServers;
import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.step.Step;

import java.util.List;

/** Small filters shared by the edge rules. */
final class StepFilters {
    private StepFilters() {
    }

    static <T extends Step> List<T> ofType(List<Step> steps, Class<T> type) {
        return steps.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Steps that add or remove a node or its foreign servers: they touch peers without using them. */
    static boolean isNodeLifecycle(Step step) {
        return step instanceof RegisterNode || step instanceof CreateForeignServers
                || step instanceof DropForeignServers || step instanceof RemoveNode;
    }
}
