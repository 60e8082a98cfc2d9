package dev.shardman.planner.step;

/** One method per step kind: exhaustiveness without pattern switch (a new kind breaks every visitor). */
public interface StepVisitor<R> {
    R visit(RegisterNode registerNode);

    R visit(CreateForeignServers createForeignServers);

    R visit(UpdateNode updateNode);

    R visit(UpdateSettings updateSettings);

    R visit(MarkNodeLost markNodeLost);

    R visit(DropForeignServers dropForeignServers);

    R visit(RemoveNode removeNode);

    R visit(CreateReplicationChannel createReplicationChannel);

    R visit(DropReplicationChannel dropReplicationChannel);

    R visit(PromoteReplica promoteReplica);

    R visit(RecreatePartition recreatePartition);

    R visit(CreateReplica createReplica);

    R visit(DropReplica dropReplica);

    R visit(MovePrimary movePrimary);

    R visit(MoveReplica moveReplica);

    R visit(CreateShardedTable createShardedTable);

    R visit(DropShardedTable dropShardedTable);

    R visit(ChangeRedundancy changeRedundancy);

    R visit(CreateSharedTable createSharedTable);

    R visit(DropSharedTable dropSharedTable);

    R visit(ChangeSharedMaster changeSharedMaster);

    R visit(ChangeGrants changeGrants);

    R visit(AddColumn addColumn);

    R visit(AlterColumn alterColumn);

    R visit(DropColumn dropColumn);

    R visit(CreateIndex createIndex);

    R visit(RecreateIndex recreateIndex);

    R visit(DropIndex dropIndex);
}
