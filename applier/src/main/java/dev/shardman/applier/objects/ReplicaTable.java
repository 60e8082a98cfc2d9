package dev.shardman.applier.objects;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A replica {@code t_n} held on {@code node}: a plain table (never attached to its parent) with the
 * parent's columns and defaults (kept in step with the parent's by ALTER TABLE, since it is not
 * attached), filled by the node's subscription to the primary's holder, and a
 * statement-level trigger that refuses application writes (the apply worker runs with
 * {@code session_replication_role = replica}, so the ORIGIN-enabled trigger does not fire for it).
 */
public record ReplicaTable(TableName table, TableName parent, String node, List<Column> columns) implements NodeObject {
    public static final String READ_ONLY_TRIGGER = "shardman_replica_read_only";

    public ReplicaTable {
        requireNonNull(table, "table is null");
        requireNonNull(parent, "parent is null");
        requireNonNull(node, "node is null");
        columns = List.copyOf(columns);
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.REPLICA_TABLE, table.toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitReplicaTable(this);
    }

    @Override
    public String describe() {
        return "replica table " + table + " (of " + parent + ")";
    }
}
