package dev.shardman.planner;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.ProjectedState;
import dev.shardman.planner.step.Step;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The state a plan leads to: a fold of the plan's steps, in order, over the metadata they were planned
 * from (what {@code --out-state} writes), each step making its own change ({@link Step#applyTo}). Each step
 * commits one serial, so the result's serial is the start serial plus the number of steps; a new cluster
 * gets a lineage derived from its name, so the projection is deterministic. Every step is checked against
 * the invariants ({@link ProjectedState}): a violation is a planner bug and throws {@link IllegalStateException}.
 */
public final class StateProjection {
    private StateProjection() {
    }

    public static ClusterState project(ClusterState state, Plan plan) {
        if (plan.isEmpty()) {
            return state;
        }
        ProjectedState projected = ProjectedState.from(state);
        for (PlannedStep planned : plan.steps()) {
            planned.step().applyTo(projected);
        }
        String lineage = state.lineage().isEmpty() ? lineageFor(plan.header().cluster()) : state.lineage();
        return projected.toState(lineage, state.serial() + plan.steps().size());
    }

    /**
     * The state after one step: {@code step} applied to {@code state}, at serial + 1 with the same
     * lineage (the applier commits one serial per step). Throws {@link IllegalStateException} when
     * the step breaks an invariant of {@code state}.
     */
    public static ClusterState apply(ClusterState state, Step step) {
        ProjectedState projected = ProjectedState.from(state);
        step.applyTo(projected);
        return projected.toState(state.lineage(), state.serial() + 1);
    }

    /** The lineage a new cluster of this name gets in a projection (the applier records it when it creates the shardlord schema). */
    public static String lineageFor(String cluster) {
        return UUID.nameUUIDFromBytes(("shardman:" + cluster).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
