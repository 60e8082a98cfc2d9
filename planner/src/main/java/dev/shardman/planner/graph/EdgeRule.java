package dev.shardman.planner.graph;

import dev.shardman.planner.step.Step;

import java.util.List;

/**
 * One named dependency rule of the plan graph. A rule looks at all the steps and returns the edges it
 * asks for; it must run in time near-linear in the number of steps (plans reach tens of thousands).
 */
public interface EdgeRule {
    List<Edge> edges(List<Step> steps);

    default String name() {
        return getClass().getSimpleName();
    }

    default Edge edge(Step before, Step after) {
        return new Edge(before.id(), after.id(), name());
    }
}
