/**
 * The planner: spec + recorded state → an ordered, minimal, deterministic plan, computed without any server.
 *
 * <p>Entry points: {@link dev.shardman.planner.Planner#plan} (spec, state, options → {@link dev.shardman.planner.Plan}),
 * {@link dev.shardman.planner.StateProjection#project} (the state a plan leads to, for {@code --out-state}),
 * {@code render.TextPlanRenderer} and {@code render.JsonPlanWriter} (both on {@code render.PlanView}).
 * Refusals are {@link dev.shardman.planner.PlanRefusedException}; impossible specs are
 * {@code ShardmanException(INVALID_INPUT)} listing every problem.
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>Balance counts <em>units</em>: partition n of a colocation group (anchor plus colocated tables) is one
 *       unit, and a node's load is its units summed over all tables, within its replication group. Primaries
 *       and replicas are balanced separately to ±1 with the fewest moves (targets give the extra slot to the
 *       nodes that already hold most). A move prefers the table the donor holds most of, to keep tables spread.
 *       When the primaries chosen that way leave the replicas no balanced placement (say a new table's primaries
 *       all on a new node, where its replicas cannot go), the group's two roles are placed together instead, at
 *       the cost of a few more primary moves: the fewest primary moves that leave the replicas a balanced
 *       placement, then the fewest replica moves behind them. A primary only moves to a node without a copy of
 *       it (primary moves run before replica moves), so some groups cannot be balanced by moves at all (as with
 *       a redundancy of the group's size minus one); the plan then says so in a warning and moves nothing there
 *       but copies on leaving nodes.</li>
 *   <li>Empty nodes count. Data never crosses replication groups; a new group only receives new tables.</li>
 *   <li>New tables fill the least loaded nodes first (round-robin on an empty group), so adding a node and a
 *       table together may need no move at all.</li>
 *   <li>A lost primary fails over to a replica; the plan names the candidates and assumes the first (the
 *       staying candidate with the fewest primaries); the applier promotes the most advanced one, and must
 *       re-plan if it differs. A node that came back after being declared lost must get a new name.</li>
 *   <li>Colocated tables must share partitions and redundancy with their anchor. A table colocated with an
 *       existing anchor is created after the data movement, at the anchor's final placement.</li>
 *   <li>Not changeable in place (reported as problems): table type, schema, sharding key, partition count,
 *       colocation, primary key; the replication group of a node that holds data.</li>
 *   <li>Replication channels (publication/subscription pairs) appear as steps only when the set the final
 *       placement needs differs from the current one; transient needs during a move are the move step's job.</li>
 * </ul>
 */
package dev.shardman.planner;
