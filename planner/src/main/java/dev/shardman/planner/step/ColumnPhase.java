package dev.shardman.planner.step;

/**
 * Which copies of a table a column step alters. Subscribers are replica tables of sharded tables and
 * the non-master copies of shared tables; publishers are the primaries (the partitioned parents) and
 * shared masters. Added and altered columns go to subscribers first, dropped columns to publishers
 * first, so that a logical replication apply worker never meets a column it does not know.
 */
public enum ColumnPhase {
    SUBSCRIBERS("subscribers"),
    PUBLISHERS("publishers");

    private final String word;

    ColumnPhase(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
