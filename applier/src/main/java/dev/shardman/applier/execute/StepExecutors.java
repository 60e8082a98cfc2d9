package dev.shardman.applier.execute;

import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.AlterColumn;
import dev.shardman.planner.step.ChangeGrants;
import dev.shardman.planner.step.ChangeRedundancy;
import dev.shardman.planner.step.ChangeSharedMaster;
import dev.shardman.planner.step.CreateForeignServers;
import dev.shardman.planner.step.CreateIndex;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.CreateReplicationChannel;
import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.CreateSharedTable;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.DropForeignServers;
import dev.shardman.planner.step.DropIndex;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.DropReplicationChannel;
import dev.shardman.planner.step.DropShardedTable;
import dev.shardman.planner.step.DropSharedTable;
import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PromoteReplica;
import dev.shardman.planner.step.RecreateIndex;
import dev.shardman.planner.step.RecreatePartition;
import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepVisitor;
import dev.shardman.planner.step.UpdateNode;
import dev.shardman.planner.step.UpdateSettings;

import java.util.Optional;

/**
 * The executor of each step kind. MoveReplica is {@link MoveReplicaExecutor}, RecreatePartition
 * {@link RecreatePartitionExecutor}, MovePrimary is
 * {@link MovePrimaryExecutor} (numbered among the plan's data moves by {@code ApplyEngine.executors}). MarkNodeLost is catalog work (the state after leaves the node out, so the
 * shrink phase cuts its subscriptions on the survivors); PromoteReplica is {@link PromoteReplicaExecutor}.
 */
final class StepExecutors implements StepVisitor<Optional<StepExecutor>> {
    private static final StepExecutors INSTANCE = new StepExecutors();

    static Optional<StepExecutor> forStep(Step step) {
        return step.accept(INSTANCE);
    }

    @Override
    public Optional<StepExecutor> visit(RegisterNode registerNode) {
        return Optional.of(new RegisterNodeExecutor(registerNode));
    }

    @Override
    public Optional<StepExecutor> visit(CreateForeignServers createForeignServers) {
        return Optional.of(new CatalogStepExecutor(createForeignServers));
    }

    @Override
    public Optional<StepExecutor> visit(UpdateNode updateNode) {
        return Optional.of(new CatalogStepExecutor(updateNode));
    }

    @Override
    public Optional<StepExecutor> visit(UpdateSettings updateSettings) {
        return Optional.of(new CatalogStepExecutor(updateSettings));
    }

    @Override
    public Optional<StepExecutor> visit(MarkNodeLost markNodeLost) {
        return Optional.of(new CatalogStepExecutor(markNodeLost));
    }

    @Override
    public Optional<StepExecutor> visit(DropForeignServers dropForeignServers) {
        return Optional.of(new CatalogStepExecutor(dropForeignServers));
    }

    @Override
    public Optional<StepExecutor> visit(RemoveNode removeNode) {
        return Optional.of(new RemoveNodeExecutor(removeNode));
    }

    @Override
    public Optional<StepExecutor> visit(CreateReplicationChannel createReplicationChannel) {
        return Optional.of(new CatalogStepExecutor(createReplicationChannel));
    }

    @Override
    public Optional<StepExecutor> visit(DropReplicationChannel dropReplicationChannel) {
        return Optional.of(new CatalogStepExecutor(dropReplicationChannel));
    }

    @Override
    public Optional<StepExecutor> visit(PromoteReplica promoteReplica) {
        return Optional.of(new PromoteReplicaExecutor(promoteReplica));
    }

    @Override
    public Optional<StepExecutor> visit(RecreatePartition recreatePartition) {
        return Optional.of(new RecreatePartitionExecutor(recreatePartition));
    }

    @Override
    public Optional<StepExecutor> visit(CreateReplica createReplica) {
        return Optional.of(new CatalogStepExecutor(createReplica));
    }

    @Override
    public Optional<StepExecutor> visit(DropReplica dropReplica) {
        return Optional.of(new CatalogStepExecutor(dropReplica));
    }

    @Override
    public Optional<StepExecutor> visit(MovePrimary movePrimary) {
        return Optional.of(new MovePrimaryExecutor(movePrimary, 1, 1));
    }

    @Override
    public Optional<StepExecutor> visit(MoveReplica moveReplica) {
        return Optional.of(new MoveReplicaExecutor(moveReplica));
    }

    @Override
    public Optional<StepExecutor> visit(CreateShardedTable createShardedTable) {
        return Optional.of(new CatalogStepExecutor(createShardedTable));
    }

    @Override
    public Optional<StepExecutor> visit(DropShardedTable dropShardedTable) {
        return Optional.of(new CatalogStepExecutor(dropShardedTable));
    }

    @Override
    public Optional<StepExecutor> visit(ChangeRedundancy changeRedundancy) {
        return Optional.of(new CatalogStepExecutor(changeRedundancy));
    }

    @Override
    public Optional<StepExecutor> visit(CreateSharedTable createSharedTable) {
        return Optional.of(new CatalogStepExecutor(createSharedTable));
    }

    @Override
    public Optional<StepExecutor> visit(DropSharedTable dropSharedTable) {
        return Optional.of(new CatalogStepExecutor(dropSharedTable));
    }

    @Override
    public Optional<StepExecutor> visit(ChangeSharedMaster changeSharedMaster) {
        return Optional.of(new SharedMasterExecutor(changeSharedMaster));
    }

    @Override
    public Optional<StepExecutor> visit(ChangeGrants changeGrants) {
        return Optional.of(new CatalogStepExecutor(changeGrants));
    }

    @Override
    public Optional<StepExecutor> visit(AddColumn addColumn) {
        return Optional.of(new CatalogStepExecutor(addColumn));
    }

    @Override
    public Optional<StepExecutor> visit(AlterColumn alterColumn) {
        return Optional.of(new CatalogStepExecutor(alterColumn));
    }

    @Override
    public Optional<StepExecutor> visit(DropColumn dropColumn) {
        return Optional.of(new CatalogStepExecutor(dropColumn));
    }

    @Override
    public Optional<StepExecutor> visit(CreateIndex createIndex) {
        return Optional.of(new CatalogStepExecutor(createIndex));
    }

    @Override
    public Optional<StepExecutor> visit(RecreateIndex recreateIndex) {
        return Optional.of(new CatalogStepExecutor(recreateIndex));
    }

    @Override
    public Optional<StepExecutor> visit(DropIndex dropIndex) {
        return Optional.of(new CatalogStepExecutor(dropIndex));
    }
}
