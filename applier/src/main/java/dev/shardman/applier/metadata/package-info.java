/**
 * The shardlord side of the applier: the cluster metadata in schema {@code shardman} of the shardlord
 * database, created and upgraded by shardman itself ({@code Migrations}: versioned SQL resources
 * {@code V<n>__<name>.sql} beside these classes, recorded in {@code shardman.schema_version}, applied in
 * one transaction under an advisory lock; a newer schema is refused).
 *
 * <ul>
 *   <li>{@link dev.shardman.applier.metadata.MetadataStore}: read the whole {@code ClusterState} from one
 *       snapshot; commit one step's state change, its serial and its journal row in ONE transaction,
 *       refusing (STALE_PLAN, nothing written) when the stored serial is not the one the step started from.</li>
 *   <li>{@link dev.shardman.applier.metadata.Journal}: one row per step run (started, done, failed,
 *       prepared, committed, rolled_back) and the two-phase-commit decisions per gid.</li>
 *   <li>{@link dev.shardman.applier.metadata.ClusterLock}: the apply lock, a session advisory lock plus
 *       a row naming its holder.</li>
 * </ul>
 *
 * No password is ever stored: conninfo strings keep their {@code ${env:NAME}} references and are refused
 * with a literal password; step descriptions likewise; error texts are masked.
 */
package dev.shardman.applier.metadata;
