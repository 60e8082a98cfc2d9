package dev.shardman.applier.objects;

/**
 * A catalog object that shardman owns on a worker node. Expected objects (from
 * {@link ExpectedObjects}) and observed ones (from {@link NodeInspector}) use the same records, so
 * that equal records mean "nothing to do". Each record holds only catalog-visible values (never a
 * password).
 */
public sealed interface NodeObject
        permits PostgresFdwExtension, ForeignServer, UserMapping, ParentTable, LocalPartition, ForeignPartition,
        PrimaryKey, PartitionIndex, ReplicaTable, SharedData, SharedView, PartitionGrant {

    /** The stable identity: same key in expected and observed objects means "the same object". */
    ObjectKey key();

    /** One line for plans, reports and errors, e.g. {@code foreign partition public.customers_3_fdw on shardman_node_2}. */
    String describe();

    <R> R accept(NodeObjectVisitor<R> visitor);
}
