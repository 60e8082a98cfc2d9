/**
 * Logical replication between the nodes, outside the reconciler's transaction (CREATE/ALTER ... REFRESH/DROP
 * SUBSCRIPTION refuse transaction blocks): the channels a state needs
 * ({@link dev.shardman.applier.replication.ExpectedChannels}), what a node has
 * ({@link dev.shardman.applier.replication.ReplicationInspector}), and the two autocommit phases of every step
 * ({@link dev.shardman.applier.replication.ChannelReconciler}: shrink before the transactional phase, grow after it;
 * level-based, so recover and apply redo whatever a crash between phases left). Names, subscription settings and
 * the order of a drop: docs/internals/replication.md.
 */
package dev.shardman.applier.replication;
