package dev.shardman.applier.objects;

import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.TableSpec;

import java.util.ArrayList;
import java.util.List;

/** A column of the spec with its table, as the column checks go through them. */
record SpecColumn(TableSpec table, ColumnSpec column) {
    /**
     * The most columns checked in one statement: each gives at most two values, and a select list or a table holds at
     * most 1,600 of them.
     */
    static final int CHUNK = 500;

    /** Every column of {@code tables}, in file order, in chunks of at most {@link #CHUNK}. */
    static List<List<SpecColumn>> chunks(List<TableSpec> tables) {
        List<List<SpecColumn>> chunks = new ArrayList<>();
        List<SpecColumn> chunk = new ArrayList<>();
        for (TableSpec table : tables) {
            for (ColumnSpec column : table.columns()) {
                if (chunk.size() == CHUNK) {
                    chunks.add(chunk);
                    chunk = new ArrayList<>();
                }
                chunk.add(new SpecColumn(table, column));
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }
}
