/**
 * The planner: spec + recorded state → an ordered, minimal, deterministic plan, computed without any server.
 *
 * <p>Entry points: {@link dev.shardman.planner.Planner#plan} (spec, state, options → {@link dev.shardman.planner.Plan}),
 * {@link dev.shardman.planner.StateProjection#project} (the state a plan leads to, for {@code --out-state}),
 * {@code render.TextPlanRenderer} and {@code render.JsonPlanWriter} (both on {@code render.PlanView}). Refusals are
 * {@link dev.shardman.planner.PlanRefusedException}; impossible specs are {@code ShardmanException(INVALID_INPUT)}
 * listing every problem. The decisions worth knowing (balance by units, failover, colocation, what cannot change in
 * place): docs/internals/placement.md, "Planner decisions".
 */
package dev.shardman.planner;
