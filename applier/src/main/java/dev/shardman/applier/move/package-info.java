/**
 * Online moves of a partition unit's primary (MovePrimary) from a source to a destination, after DESIGN.md "Moving a
 * primary". {@link dev.shardman.applier.move.MoveRunner} runs the phases, each committed to {@code shardman.moves}
 * ({@link dev.shardman.applier.metadata.Moves}) before it starts and each idempotent, so a crash anywhere is resumed;
 * {@link dev.shardman.applier.move.MoveRecovery} finishes, rolls back and sweeps. Phases, object names, recovery rules
 * and the differences from DESIGN.md: docs/internals/moves.md.
 */
package dev.shardman.applier.move;
