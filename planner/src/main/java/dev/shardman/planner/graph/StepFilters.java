package dev.shardman.planner.graph;

import dev.shardman.planner.step.OrderingRole;
import dev.shardman.planner.step.Step;

import java.util.List;

/** Small filters shared by the edge rules. */
final class StepFilters {
    private StepFilters() {
    }

    static <T extends Step> List<T> ofType(List<Step> steps, Class<T> type) {
        return steps.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static List<Step> withRole(List<Step> steps, OrderingRole role) {
        return steps.stream().filter(step -> step.orderingRoles().contains(role)).toList();
    }

    /** Steps that add or remove a node or its foreign servers: they touch peers without using them. */
    static boolean isNodeLifecycle(Step step) {
        return step.orderingRoles().contains(OrderingRole.NODE_LIFECYCLE);
    }
}
