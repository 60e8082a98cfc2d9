package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.verify.PartitionChecksum;
import dev.shardman.applier.verify.TableChecksum;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Phase {@code verify}: for each partition of the unit, count + checksum ({@link PartitionChecksum}, columns in the
 * table's column order from the state) of the source's retired copy (frozen since the cutover) and of the
 * destination's copy under the snapshot the cutover took at its position, both at once (two sessions), each read by its
 * session's backend alone (no parallel workers: the destination serves the unit's writes by then, and on a node with
 * few cores the workers stalled them); then the snapshot transaction ends. The result and both figures of every partition are what {@code shardman.moves} records.
 */
final class MoveVerify {
    /** The comparison: passed or not, the unit's rows and retired bytes, and one line per partition with both figures. */
    record Outcome(boolean passed, long rows, long bytes, String detail) {
    }

    private static final String SIZE = "SELECT coalesce(pg_catalog.pg_table_size(to_regclass(?)), 0)";

    private MoveVerify() {
    }

    static Outcome run(MoveContext context, Connection snapshot) throws SQLException {
        Connection source = context.connections().shared(context.source());
        boolean passed = true;
        long rows = 0;
        long bytes = 0;
        List<String> lines = new ArrayList<>();
        try {
            for (TableState table : context.tables()) {
                List<String> columns = table.columns().stream().map(ColumnState::name).toList();
                CompletableFuture<TableChecksum> retired = CompletableFuture.supplyAsync(() -> checksum(source, MoveRecord.RETIRED_SCHEMA,
                        context.retired(table).name(), columns));
                TableChecksum copy = PartitionChecksum.withoutParallelWorkers(snapshot, table.schema(), context.partition(table).name(), columns);
                TableChecksum original = join(retired);
                passed &= original.equals(copy);
                rows += original.rows();
                bytes += MoveSql.queryLong(source, SIZE, SqlNames.qualified(context.retired(table)));
                lines.add(context.partition(table).name() + ": " + context.source().name() + " (retired copy) " + original + ", "
                        + context.destination().name() + " at the cutover " + copy);
            }
        } finally {
            snapshot.rollback();
            snapshot.close();
        }
        return new Outcome(passed, rows, bytes, String.join("; ", lines));
    }

    /** Rows and bytes of the retired copies alone (what moved at the cutover), when there is no snapshot to compare with. */
    static Outcome retiredFigures(MoveContext context) throws SQLException {
        Connection source = context.connections().shared(context.source());
        long rows = 0;
        long bytes = 0;
        for (TableState table : context.tables()) {
            String retired = SqlNames.qualified(context.retired(table));
            rows += MoveSql.queryLong(source, "SELECT count(*) FROM " + retired);
            bytes += MoveSql.queryLong(source, SIZE, retired);
        }
        return new Outcome(false, rows, bytes, "");
    }

    private static TableChecksum checksum(Connection connection, String schema, String table, List<String> columns) {
        try {
            return PartitionChecksum.withoutParallelWorkers(connection, schema, table, columns);
        } catch (SQLException failure) {
            throw new CompletionException(failure);
        }
    }

    private static TableChecksum join(CompletableFuture<TableChecksum> future) throws SQLException {
        try {
            return future.join();
        } catch (CompletionException failure) {
            if (failure.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw failure;
        }
    }
}
