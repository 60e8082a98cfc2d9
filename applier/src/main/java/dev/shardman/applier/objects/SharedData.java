package dev.shardman.applier.objects;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The rows of a shared table on one node: {@code shardman_shared.<name>}, a plain table with the
 * spec's columns (its primary key is a {@link PrimaryKey}). On the master it is THE table, published;
 * elsewhere a copy filled by a subscription. The same name everywhere, because logical replication
 * maps tables by schema and name: the application-facing name is a {@link SharedView} over it.
 */
public record SharedData(TableName table, List<Column> columns) implements NodeObject {
    public static final String SCHEMA = "shardman_shared";

    public SharedData {
        requireNonNull(table, "table is null");
        columns = List.copyOf(columns);
    }

    public static TableName nameFor(String tableName) {
        return new TableName(SCHEMA, tableName);
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.SHARED_DATA, table.toString());
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitSharedData(this);
    }

    @Override
    public String describe() {
        return "shared table data " + table;
    }
}
