package dev.shardman.applier.objects;

/** One method per kind of {@link NodeObject}: adding a kind breaks every visitor until it handles it. */
public interface NodeObjectVisitor<R> {
    R visitExtension(PostgresFdwExtension extension);

    R visitForeignServer(ForeignServer server);

    R visitUserMapping(UserMapping mapping);

    R visitParentTable(ParentTable parent);

    R visitLocalPartition(LocalPartition partition);

    R visitForeignPartition(ForeignPartition partition);

    R visitPrimaryKey(PrimaryKey primaryKey);

    R visitPartitionIndex(PartitionIndex index);

    R visitReplicaTable(ReplicaTable replica);

    R visitSharedData(SharedData data);

    R visitSharedView(SharedView view);

    R visitPartitionGrant(PartitionGrant grant);
}
