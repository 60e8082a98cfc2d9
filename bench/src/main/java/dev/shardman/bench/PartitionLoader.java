package dev.shardman.bench;

import dev.shardman.localcluster.InstanceReport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills partition {@code index} of a hash-partitioned table directly (not through the parent) with rows
 * {@code (id, payload)}: ids 1, 2, ... that hash to that partition, payloads of 128 characters, in batches of
 * one transaction each, until the partition's table size reaches the target. Batches are sized from the bytes
 * per id seen so far, so the result overshoots the target by about 1%, not by a whole batch.
 */
final class PartitionLoader {
    /** Candidate ids per batch at most (about half of them belong to each of two partitions: about 85 MB of table). */
    private static final long MAX_BATCH = 1_000_000;
    private static final long FIRST_BATCH = 100_000;

    private PartitionLoader() {
    }

    /** Returns the number of rows in the partition. */
    static long load(InstanceReport instance, String database, String table, int partitions, int index, long targetBytes) throws SQLException {
        String partition = table + "_" + index;
        try (Connection connection = BenchSql.connect(instance, database, "shardman-bench-load"); Statement statement = connection.createStatement()) {
            long next = 1;
            long batch = FIRST_BATCH;
            long size;
            while ((size = BenchSql.queryLong(connection, "SELECT pg_table_size('" + partition + "')")) < targetBytes) {
                if (next > 1) {
                    double bytesPerId = (double) size / (next - 1);
                    batch = Math.max(10_000, Math.min(MAX_BATCH, (long) ((targetBytes - size) / bytesPerId * 1.01)));
                }
                statement.execute("INSERT INTO " + partition + " (id, payload) SELECT i, repeat(md5(i::text), 4) FROM generate_series("
                        + next + "::bigint, " + (next + batch - 1) + ") i WHERE satisfies_hash_partition('public." + table + "'::regclass, "
                        + partitions + ", " + index + ", i)");
                next += batch;
            }
            return BenchSql.queryLong(connection, "SELECT count(*) FROM " + partition);
        }
    }
}
