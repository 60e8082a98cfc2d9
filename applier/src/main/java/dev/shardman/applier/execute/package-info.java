/**
 * Runs plans on real servers, level-based: a catalog step brings every affected node to the expected objects of the
 * state after it, on all of them at once ({@link dev.shardman.applier.execute.StepScope}), PREPAREd, then commits the
 * metadata, journal row and COMMIT decision together in the shardlord before COMMIT PREPARED, so that
 * {@link dev.shardman.applier.execute.Recovery} can always decide a crashed step. Entry points:
 * {@link dev.shardman.applier.execute.ApplyEngine}, {@link dev.shardman.applier.execute.DriftCheck},
 * {@link dev.shardman.applier.execute.StatusReport}; {@link dev.shardman.applier.execute.FaultHook} is test-only.
 * Flow and rationale: docs/internals/recovery-and-faults.md.
 */
package dev.shardman.applier.execute;
