/**
 * The catalog objects each worker node must have, what it has, the difference, and the SQL that
 * closes it: a level-based reconciler that re-reads the node every time.
 *
 * <ul>
 *   <li>{@link dev.shardman.applier.objects.ExpectedObjects}: a pure function of a ClusterState;
 *       {@link dev.shardman.applier.objects.NodeInspector}: the same records read from a node's
 *       catalogs in {@value dev.shardman.applier.objects.NodeInspector#QUERIES_PER_NODE} queries,
 *       whatever the number of tables ({@link dev.shardman.applier.objects.ParallelInspector} for
 *       several nodes); {@link dev.shardman.applier.objects.ObjectDiff}: the changes, in a safe
 *       order; {@link dev.shardman.applier.objects.ChangeSql}: their SQL, from
 *       {@code templates/sql/<action>_<kind>.sql.ftl}; {@link dev.shardman.applier.objects.NodeReconciler}:
 *       all of it in one transaction per node, committed or prepared for two-phase commit.</li>
 *   <li>Names: foreign server {@code shardman_node_<node id>} per live peer; user mapping for
 *       CURRENT_USER on each (and FOR PUBLIC, see below); parent {@code schema.t} (no primary key or unique index); local
 *       partition {@code t_n} with primary key {@code t_n_pkey}; foreign partition
 *       {@code t_n_fdw} reading {@code schema.t_n} on the holder; secondary index
 *       {@code <index>_<n>} on each local partition; replica table {@code t_n} (plain, not attached,
 *       same columns, primary key and indexes, a statement trigger {@code shardman_replica_read_only}
 *       refusing application writes); shared table data {@code shardman_shared.<name>} with its
 *       primary key on every live node, and the view {@code schema.name} over it whose INSTEAD OF
 *       trigger writes locally on the master and through the foreign table {@code name_fdw}
 *       elsewhere (logical replication maps tables by schema and name, so the data table must have
 *       the same name on the master and on the copies: the application-facing name is a view on
 *       every node, the master included).</li>
 *   <li>Promotion: where a local partition {@code t_n} is expected and the node holds {@code t_n} as a
 *       replica table that is no longer expected, {@link dev.shardman.applier.objects.ObjectDiff}
 *       gives one ALTER of the local partition (drop the read-only trigger, ATTACH PARTITION in the
 *       slot, keeping the rows), never a drop of the replica and a create of an empty partition; the
 *       foreign partition {@code t_n_fdw} that held the slot is dropped in the removal phase first.
 *       Recover and drift-check reach the same conversion after a crash mid-promotion.</li>
 *   <li>Indexes are created per local partition by shardman, not through a parent index: names
 *       are deterministic, unique indexes (which a parent with foreign partitions cannot have)
 *       work the same way as plain ones, and drift on one partition is visible and repaired alone.
 *       Names longer than 63 bytes are truncated by PostgreSQL: keep index names short.</li>
 *   <li>Passwords: an expected user mapping only says that a password must be set (its
 *       conninfo has one, usually {@code ${env:NAME}}); the value is resolved by a
 *       {@link dev.shardman.applier.objects.PasswordSource} when the statement is rendered and
 *       lives only in {@link dev.shardman.applier.objects.SqlStatement#text()}. The inspector asks
 *       the server whether a password option exists and never reads it, so a changed password is
 *       not drift (re-create the mapping by hand, or change the user, to rotate it).</li>
 *   <li>Non-superuser applications: a peer's non-superuser {@code conninfo} gives every server for
 *       it a second user mapping FOR PUBLIC (same user and password), so any local role reaches the
 *       peer as that {@code conninfo} role (superusers keep the CURRENT_USER mapping; without a
 *       {@code conninfo} there is no PUBLIC mapping, since mapping PUBLIC to a superuser would hand
 *       superuser rights to every role). On its own local partitions a holder GRANTs SELECT, INSERT,
 *       UPDATE and DELETE to its {@code conninfo} role ({@link dev.shardman.applier.objects.PartitionGrant},
 *       expected objects, so a missing privilege is drift). Note it is the holder's own conninfo
 *       role, not the peers': peers reach a holder through the holder's conninfo; a shared table's
 *       master does the same on {@code shardman_shared.<name>} (and USAGE on the schema). Application
 *       rights are the spec's {@code grants}: each role's privileges on the parent or shared view on
 *       every node (a shared view's write function runs with its owner's rights, so the view is all a
 *       role needs); roles not named there are never looked at, and roles are the DBA's. postgres_fdw
 *       demands that the server authenticate the mapped non-superuser by password; shardman does
 *       not set {@code password_required 'false'}.</li>
 *   <li>Scope: only names that the given states mention (and servers {@code shardman_node_%}) are
 *       observed, so a user's own tables and indexes are never dropped. Pass the before- and
 *       after-states of a step so that objects of either are cleaned up.</li>
 *   <li>Data loss: dropping a local partition, a parent or a column is refused unless
 *       {@link dev.shardman.applier.objects.ReconcileOptions#allowDataLoss()}; moving a partition
 *       is the mover's job, which runs before the nodes are reconciled.</li>
 *   <li>Column changes are one ALTER TABLE on the parent, which PostgreSQL applies to every
 *       partition, local and foreign. Holders must have a new column before readers query it:
 *       commit on all nodes together (two-phase commit) or holders first. Type changes are
 *       plain {@code ALTER COLUMN ... TYPE} (no USING), which suits widening changes.</li>
 * </ul>
 */
package dev.shardman.applier.objects;
