package dev.shardman.model;

import java.nio.charset.StandardCharsets;

/**
 * The one place that says how shardman names the objects it derives from a spec's table and index
 * names; the applier builds names through these methods and validation checks their length with
 * them, so the two cannot disagree. PostgreSQL silently truncates an identifier over
 * {@link #MAXIMUM_BYTES} bytes of UTF-8, which would make the reconciler chase a name it can never see.
 */
public final class DerivedNames {
    /** PostgreSQL's NAMEDATALEN - 1. */
    public static final int MAXIMUM_BYTES = 63;
    public static final String FOREIGN_SUFFIX = "_fdw";
    public static final String PRIMARY_KEY_SUFFIX = "_pkey";
    public static final String SHARED_WRITE_SUFFIX = "_shardman_write";
    public static final String STALE_SUFFIX = "_stale";
    /** The largest move id: {@code shardman.moves.id}'s identity sequence stops there (schema version 6), and retired names are checked against it. */
    public static final long LARGEST_MOVE_ID = 999_999_999L;

    private DerivedNames() {
    }

    /** {@code <table>_<n>}: partition n of a sharded table (local partition, replica, move copy and proxy). */
    public static String partition(String table, int index) {
        return table + "_" + index;
    }

    /** {@code <partition>_fdw}: the foreign partition pointing at the holder; for a shared table, its write target. */
    public static String foreign(String name) {
        return name + FOREIGN_SUFFIX;
    }

    /** {@code <relation>_pkey}: the primary key constraint of a local partition, a replica or a shared table's data. */
    public static String primaryKey(String relation) {
        return relation + PRIMARY_KEY_SUFFIX;
    }

    /** {@code <index>_<n>}: a secondary index of a sharded table on partition n. */
    public static String partitionIndex(String index, int partitionIndex) {
        return index + "_" + partitionIndex;
    }

    /** {@code <shared>_shardman_write}: the INSTEAD OF trigger function of a shared table's view. */
    public static String sharedWriteFunction(String sharedTable) {
        return sharedTable + SHARED_WRITE_SUFFIX;
    }

    /** {@code <name>_m<id>}: a partition (or one of its indexes) retired by move {@code moveId}. */
    public static String retired(String name, long moveId) {
        return name + "_m" + moveId;
    }

    /** {@code <name>_stale}: a table a wiped or lost node keeps, fenced from clients. */
    public static String stale(String name) {
        return name + STALE_SUFFIX;
    }

    public static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }
}
