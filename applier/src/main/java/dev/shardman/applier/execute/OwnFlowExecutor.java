package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.StepRun;
import dev.shardman.model.state.ClusterState;

import java.sql.SQLException;

/**
 * A step kind that runs its own flow (data moves: phases journaled in their own table, node work that cannot be one
 * prepared transaction). {@link StepRunner} still journals its start and its failure, and hits the fault point
 * {@code before}; the flow commits the metadata itself and returns the committed state after.
 */
interface OwnFlowExecutor extends StepExecutor {
    ClusterState run(StepRun run, ClusterState before, StepServices services) throws SQLException;
}
