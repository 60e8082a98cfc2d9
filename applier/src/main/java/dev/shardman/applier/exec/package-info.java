/**
 * {@code shardman exec}: one SQL statement on every live node (pg_shardman's {@code forall}), in parallel, under the
 * cluster lock, optionally as one two-phase commit through the journal's decisions
 * ({@link dev.shardman.applier.exec.ClusterExec}). The statement is checked to be exactly one
 * ({@link dev.shardman.applier.exec.ExecStatement}) and refused on a target where it touches shardman's own objects
 * ({@code ManagedObjectsGuard}). Entry types: {@code ClusterExec}, {@code ExecRequest}, {@code ExecStatement},
 * {@code ExecReport}, {@code TargetOutcome}, {@code ExecOutcome}.
 */
package dev.shardman.applier.exec;
