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
import dev.shardman.planner.step.UpdateNode;
import dev.shardman.planner.step.UpdateSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one registry of step executors: one line per step kind. Most kinds are catalog work ({@link CatalogStepExecutor});
 * a kind with work of its own has its executor class. An executor may be numbered among the plan's steps of its kind
 * (MovePrimary, for the progress bar).
 */
final class StepExecutors {
    /** Makes the executor of the {@code number}-th of the plan's {@code count} steps of one kind. */
    @FunctionalInterface
    interface NumberedFactory<S extends Step> {
        StepExecutor create(S step, int number, int count);
    }

    private static final Map<Class<? extends Step>, NumberedFactory<Step>> REGISTRY = Map.ofEntries(
            kind(RegisterNode.class, RegisterNodeExecutor::new),
            kind(CreateForeignServers.class, CatalogStepExecutor::new),
            kind(UpdateNode.class, UpdateNodeExecutor::new),
            kind(UpdateSettings.class, CatalogStepExecutor::new),
            kind(MarkNodeLost.class, CatalogStepExecutor::new),
            kind(DropForeignServers.class, CatalogStepExecutor::new),
            kind(RemoveNode.class, RemoveNodeExecutor::new),
            kind(CreateReplicationChannel.class, CatalogStepExecutor::new),
            kind(DropReplicationChannel.class, CatalogStepExecutor::new),
            kind(PromoteReplica.class, PromoteReplicaExecutor::new),
            kind(RecreatePartition.class, RecreatePartitionExecutor::new),
            kind(CreateReplica.class, CatalogStepExecutor::new),
            kind(DropReplica.class, CatalogStepExecutor::new),
            numberedKind(MovePrimary.class, MovePrimaryExecutor::new),
            kind(MoveReplica.class, MoveReplicaExecutor::new),
            kind(CreateShardedTable.class, CatalogStepExecutor::new),
            kind(DropShardedTable.class, CatalogStepExecutor::new),
            kind(ChangeRedundancy.class, CatalogStepExecutor::new),
            kind(CreateSharedTable.class, CatalogStepExecutor::new),
            kind(DropSharedTable.class, CatalogStepExecutor::new),
            kind(ChangeSharedMaster.class, SharedMasterExecutor::new),
            kind(ChangeGrants.class, CatalogStepExecutor::new),
            kind(AddColumn.class, CatalogStepExecutor::new),
            kind(AlterColumn.class, CatalogStepExecutor::new),
            kind(DropColumn.class, CatalogStepExecutor::new),
            kind(CreateIndex.class, CatalogStepExecutor::new),
            kind(RecreateIndex.class, CatalogStepExecutor::new),
            kind(DropIndex.class, CatalogStepExecutor::new));

    private StepExecutors() {
    }

    /** One executor per step, in the plan's order; throws when a step's kind has none (before anything ran). */
    static List<StepExecutor> forSteps(List<Step> steps) {
        Map<Class<?>, Integer> counts = new HashMap<>();
        steps.forEach(step -> counts.merge(step.getClass(), 1, Integer::sum));
        Map<Class<?>, Integer> numbers = new HashMap<>();
        List<StepExecutor> executors = new ArrayList<>(steps.size());
        for (Step step : steps) {
            NumberedFactory<Step> factory = REGISTRY.get(step.getClass());
            if (factory == null) {
                throw new IllegalStateException("no executor for step " + step.id());
            }
            executors.add(factory.create(step, numbers.merge(step.getClass(), 1, Integer::sum), counts.get(step.getClass())));
        }
        return executors;
    }

    /** The step kinds that have an executor. */
    static Set<Class<? extends Step>> kinds() {
        return REGISTRY.keySet();
    }

    private static <S extends Step> Map.Entry<Class<? extends Step>, NumberedFactory<Step>> kind(Class<S> kind, Function<S, StepExecutor> factory) {
        return numberedKind(kind, (step, number, count) -> factory.apply(step));
    }

    private static <S extends Step> Map.Entry<Class<? extends Step>, NumberedFactory<Step>> numberedKind(Class<S> kind, NumberedFactory<S> factory) {
        return Map.entry(kind, (step, number, count) -> factory.create(kind.cast(step), number, count));
    }
}
