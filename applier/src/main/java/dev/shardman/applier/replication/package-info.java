/**
 * Logical replication between the nodes, outside the reconciler's transaction (CREATE/ALTER ...
 * REFRESH/DROP SUBSCRIPTION refuse transaction blocks): the channels a state needs
 * ({@link dev.shardman.applier.replication.ExpectedChannels}: one per (primary holder, replica holder)
 * pair with replicas, and one from each shared-table master to every other live node), what a node has
 * ({@link dev.shardman.applier.replication.ReplicationInspector}: {@value dev.shardman.applier.replication.ReplicationInspector#QUERIES_PER_NODE}
 * queries per node: publications with their tables, subscriptions with the sync state of each table,
 * {@code shardman_} slots of this database), and the two autocommit phases of every step
 * ({@link dev.shardman.applier.replication.ChannelReconciler}: shrink before the transactional phase,
 * grow after it; level-based, so recover and apply redo whatever a crash between phases left).
 *
 * <ul>
 *   <li>Names: publication {@code shardman_pub_<destination id>} on the source, subscription
 *       {@code shardman_sub_<source id>_<destination id>} on the destination; for shared tables
 *       {@code shardman_shared_pub} on the master and {@code shardman_shared_sub_<master id>_<node id>}.
 *       A subscription's slot and application_name are its name, so every {@code shardman_} slot is
 *       explained by the metadata; shrink drops inactive ones that are not. A shared table's master change
 *       ({@link dev.shardman.applier.replication.SharedHandover}) adds {@code shardman_handover_<master id>_<node id>}
 *       on the new master, kept while that shared channel is wanted: grow copies it to the subscription's
 *       slot and subscribes without copying data.</li>
 *   <li>Subscriptions use {@code synchronous_commit = 'local'} (fast synchronous replicas: each applied commit is
 *       flushed at once; not {@code 'on'}, whose commits also wait for the subscriber's own synchronous standbys,
 *       so that two nodes replicating to each other deadlock) and copy the
 *       data of new tables. Their conninfo is the source's super_conninfo with {@code ${env:...}}
 *       resolved: PostgreSQL keeps it in pg_subscription (readable by superusers only); shardman
 *       never prints it (the inspector keeps host, port and dbname only).</li>
 *   <li>Dropping: a table leaves a publication, the source waits (at most 15 s) until the slot has
 *       confirmed the current WAL position, then the destination refreshes, and only then (in the
 *       transactional phase) is the replica table dropped: no apply worker meets a missing table.
 *       A subscription whose publisher cannot be reached is DISABLEd, detached from its slot
 *       ({@code slot_name = NONE}) and dropped; the slot left on the source is dropped by a later
 *       shrink as an orphan.</li>
 *   <li>{@link dev.shardman.applier.replication.ChannelDrift}: read-only findings for drift-check.</li>
 * </ul>
 */
package dev.shardman.applier.replication;
