package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.StepRun;
import dev.shardman.model.state.ClusterState;

import java.sql.SQLException;

/**
 * A step whose node work is a fenced switch with its own order (ChangeSharedMaster): {@link #switchOver} fences, prepares
 * the fenced node and commits the metadata (a failure before that commit leaves the state before, which recover
 * restores); {@link #finish} does what follows the commit, which recover of the state after does too.
 * {@link StepRunner} journals the start and a failure as for every step. When {@link #fenced} says no, the step runs the
 * uniform flow instead (from {@link #check} on).
 */
interface SwitchExecutor extends StepExecutor {
    /** Whether the switch runs from {@code before}; when not (nothing left to fence), the step takes the uniform flow. */
    boolean fenced(ClusterState before);

    /** Fences, switches and commits the metadata; returns the committed state after. */
    ClusterState switchOver(StepRun run, ClusterState before, SwitchTools tools) throws SQLException;

    /** After the metadata commit: the other nodes and the replication channels follow the state after. */
    void finish(ClusterState before, ClusterState after, SwitchTools tools) throws SQLException;
}
