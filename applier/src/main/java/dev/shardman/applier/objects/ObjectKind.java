package dev.shardman.applier.objects;

/**
 * The kinds of catalog objects shardman owns on a worker node, in creation (dependency) order:
 * an object may depend only on objects of an earlier kind. Drops run in the reverse order.
 * Publications and subscriptions are not here: their DDL cannot run in the reconciler's
 * transaction ({@code applier.replication} handles them in autocommit).
 */
public enum ObjectKind {
    EXTENSION("extension", "extension"),
    FOREIGN_SERVER("foreign server", "foreign_server"),
    USER_MAPPING("user mapping", "user_mapping"),
    PARENT_TABLE("sharded parent table", "parent_table"),
    LOCAL_PARTITION("local partition", "local_partition"),
    REPLICA_TABLE("replica table", "replica_table"),
    FOREIGN_PARTITION("foreign partition", "foreign_partition"),
    SHARED_DATA("shared table data", "shared_data"),
    PRIMARY_KEY("primary key", "primary_key"),
    PARTITION_INDEX("partition index", "partition_index"),
    SHARED_VIEW("shared table view", "shared_view"),
    PARTITION_GRANT("partition grant", "partition_grant");

    private final String label;
    private final String templateStem;

    ObjectKind(String label, String templateStem) {
        this.label = label;
        this.templateStem = templateStem;
    }

    /** Human words for reports, e.g. {@code foreign partition}. */
    public String label() {
        return label;
    }

    /** The stem of the template names, e.g. {@code create_foreign_partition.sql.ftl}. */
    public String templateStem() {
        return templateStem;
    }
}
