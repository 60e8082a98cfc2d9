/**
 * Runs plans on real servers, level-based: a catalog step's node work brings every affected node to
 * {@code ExpectedObjects.forNode(after)}, where {@code after} is the step applied to the state it
 * starts from ({@code StateProjection.apply}, plus what an executor learns, e.g. a node's system
 * identifier), on all affected nodes at once and scoped to the tables the step changes
 * ({@link dev.shardman.applier.execute.StepScope}). Each step is journaled, its node transactions are PREPAREd (after a re-inspection
 * inside them shows the node matches), the metadata, the journal row and the COMMIT decision are
 * committed together in the shardlord, then the nodes COMMIT PREPARED. A crash before the shardlord
 * commit leaves prepared transactions without a decision, which {@link dev.shardman.applier.execute.Recovery}
 * rolls back (the step runs again); after it, recovery commits them.
 *
 * <ul>
 *   <li>{@link dev.shardman.applier.execute.ApplyEngine}: apply (lock, recover, plan, confirm, steps);</li>
 *   <li>{@link dev.shardman.applier.execute.Recovery}: recover (prepared transactions, then reconcile);</li>
 *   <li>{@link dev.shardman.applier.execute.DriftCheck}: read-only drift report, no lock;</li>
 *   <li>{@link dev.shardman.applier.execute.StatusReport}: read-only status, no lock;</li>
 *   <li>Replication: each step shrinks the channels before its transactional phase and grows them
 *       after the commit (applier.replication); apply then waits for new replicas' initial copy
 *       unless told not to ({@code --no-wait});</li>
 *   <li>{@link dev.shardman.applier.execute.FaultHook}: TEST-ONLY crash points.</li>
 * </ul>
 */
package dev.shardman.applier.execute;
