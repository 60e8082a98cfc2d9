package dev.shardman.model.spec;

/** How a table is distributed: hash-partitioned across nodes, or kept whole on every node. */
public enum TableType {
    SHARDED("sharded"),
    SHARED("shared");

    private final String keyword;

    TableType(String keyword) {
        this.keyword = keyword;
    }

    /** The word used for this type in cluster.yaml and in state snapshots. */
    public String keyword() {
        return keyword;
    }
}
