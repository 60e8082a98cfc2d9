/**
 * Online moves of a partition unit's primary (MovePrimary) from a source node A to a destination node B, after
 * DESIGN.md "Moving a primary": {@link dev.shardman.applier.move.MoveRunner} runs the phases, each committed to
 * {@code shardman.moves} (schema version 2, {@link dev.shardman.applier.metadata.Moves}) before it starts and each
 * idempotent; {@link dev.shardman.applier.move.MoveRecovery} finishes, rolls back and sweeps.
 *
 * <ul>
 *   <li>Phases (also the fault points {@code <step id>@<phase>} and {@code @<phase>-done}): {@code copy}
 *       ({@link dev.shardman.applier.move.MoveCopy}), {@code catch-up} ({@link dev.shardman.applier.move.MoveCatchUp}),
 *       {@code cutover} ({@link dev.shardman.applier.move.MoveCutover}: the write fence), {@code verify}
 *       ({@link dev.shardman.applier.move.MoveVerify}), {@code switch-destination} and {@code switch-others}
 *       ({@link dev.shardman.applier.move.MoveSwitch}), {@code commit} (metadata and phase {@code cleanup} in one
 *       shardlord transaction, then the unit's replication channels follow B), {@code cleanup}
 *       ({@link dev.shardman.applier.move.MoveCleanup}).</li>
 *   <li>Names, for move id {@code <id>} (the row of {@code shardman.moves}): publication on A, subscription on B and
 *       its slot on A {@code shardman_move_<id>}; B's copy {@code t_n} carries the CHECK constraint
 *       {@code shardman_move_<id>} until it is attached; A's retired copy is {@code shardman_retired.t_n_m<id>} with
 *       its indexes renamed {@code <index>_m<id>}; A's proxy is a foreign table named {@code t_n} on B's server.</li>
 *   <li>Recovery rolls forward once the source's cutover committed (the retired copy exists on A), because writes
 *       have gone to B since; before that, a move is left for apply to resume while the plan still holds the same
 *       step (unit, source, destination), and rolled back (B's copy, subscription, slot, publication; A was never
 *       changed) as soon as it does not ({@code apply} after planning, {@code recover} against the spec's plan).
 *       A move committed in the metadata but not cleaned up is cleaned up. A move stopped on a verification mismatch
 *       is left exactly as it is until the operator has looked.</li>
 *   <li>The other reconcilers leave a move alone: the channel code never sees {@code shardman_move_%} objects
 *       (ReplicationInspector leaves them out), and node reconciles and drift-check exclude the partitions
 *       ({@code t_n}, {@code t_n_fdw}) of every move in flight ({@code NodeReconciler.excluding}). Move objects of no
 *       move in flight are reported by drift-check and dropped by recover ({@link dev.shardman.applier.move.MoveLeftovers}).</li>
 *   <li>Retired copies are dropped after a passed verification, except on a source that the spec no longer names
 *       (it is leaving: its data stays on it, as pg_shardman's rm_node did; RemoveNode restores them) and when the
 *       cutover snapshot was lost in a crash (kept unverified, said loudly); {@code shardman.moves.retired_kept}
 *       records it.</li>
 *   <li>Differences from the recipe in DESIGN.md: the cutover locks the unit's parents on A
 *       ({@code ACCESS EXCLUSIVE}, which DETACH needs anyway) BEFORE the partitions, so that a writer going through
 *       A's own parent cannot hold the parent while it waits for the partition (a deadlock); the fence therefore
 *       also blocks reads through A's parent for its few tens of milliseconds. A's {@code t_n_fdw} and the proxy are
 *       created in the cutover transaction; B and the others are switched by the reconciler given the state after
 *       the move; the proxy goes in cleanup.</li>
 * </ul>
 */
package dev.shardman.applier.move;
