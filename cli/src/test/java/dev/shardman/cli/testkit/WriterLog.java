package dev.shardman.cli.testkit;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link ConcurrentWriter} knows committed: the new ids it inserted, the last value it gave each
 * updated row, and the ids whose statement lost its connection (committed or not, unknown). Also how
 * many statements it ran, how many failed, and how many updates found no row (the row was invisible).
 */
public record WriterLog(String table, long firstNewId, long existingIds, Set<Long> inserted, Map<Long, Long> lastValues, Set<Long> uncertain,
                 long statements, long errors, long updatesThatFoundNoRow, List<String> errorSamples) {
    public WriterLog {
        inserted = Set.copyOf(inserted);
        lastValues = Map.copyOf(lastValues);
        uncertain = Set.copyOf(uncertain);
        errorSamples = List.copyOf(errorSamples);
    }

    public String describe() {
        return statements + " statements: " + inserted.size() + " inserts and " + lastValues.size() + " distinct rows updated committed, "
                + errors + " client errors" + (errorSamples.isEmpty() ? "" : " (first: " + errorSamples + ")") + ", "
                + updatesThatFoundNoRow + " updates found no row, " + uncertain.size() + " uncertain";
    }
}
