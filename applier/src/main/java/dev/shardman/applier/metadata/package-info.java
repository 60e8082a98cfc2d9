/**
 * The shardlord side of the applier: the cluster metadata in schema {@code shardman}, created and upgraded by shardman
 * itself ({@code Migrations}, versioned {@code V<n>__<name>.sql} resources; a newer schema is refused).
 * {@link dev.shardman.applier.metadata.MetadataStore} commits a step's state, serial and journal row in ONE
 * transaction; {@link dev.shardman.applier.metadata.Journal} holds step runs and two-phase decisions;
 * {@link dev.shardman.applier.metadata.ClusterLock} is the apply lock. No password is ever stored
 * (docs/internals/metadata-and-lock.md).
 */
package dev.shardman.applier.metadata;
