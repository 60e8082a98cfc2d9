package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;

import static java.util.Objects.requireNonNull;

/** How an apply ended without an error: the plan, how many steps ran, the state after, and whether the operator declined. */
public record ApplyResult(Plan plan, int stepsDone, ClusterState state, boolean declined) {
    public ApplyResult {
        requireNonNull(plan, "plan is null");
        requireNonNull(state, "state is null");
    }
}
