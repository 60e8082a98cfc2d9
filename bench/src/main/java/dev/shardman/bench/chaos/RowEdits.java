package dev.shardman.bench.chaos;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the writers did to their own acknowledged rows of the sharded table besides inserting them: each UPDATE appends
 * one {@code +} to the row's {@code writer}, so the row must end with as many as were acknowledged, plus at most the
 * uncertain ones (failed, maybe committed); each read through the node's parent must find the row. A row an UPDATE or a
 * read did not find although it was acknowledged is a <b>miss</b>: the cluster showed it not to exist for a moment.
 */
final class RowEdits {
    static final String UPDATE = "UPDATE " + ChaosSpec.TABLE + " SET writer = writer || '+' WHERE id = ?";
    static final String READ = "SELECT count(*) FROM " + ChaosSpec.TABLE + " WHERE id = ?";
    /** The number of {@code +} a row holds, and its id. */
    static final String PLUSES = "SELECT id, length(writer) - length(replace(writer, '+', '')) FROM ONLY ";

    private final Map<Long, Integer> updated = new ConcurrentHashMap<>();
    private final Map<Long, Integer> maybeUpdated = new ConcurrentHashMap<>();
    private final Map<Long, String> misses = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();

    void updated(long id) {
        updated.merge(id, 1, Integer::sum);
    }

    void maybeUpdated(long id) {
        maybeUpdated.merge(id, 1, Integer::sum);
    }

    /** {@code id} was not found by {@code operation} through {@code node}'s parent; kept with the moment, counted from the writers' start. */
    void missed(long id, String operation, String node) {
        misses.putIfAbsent(id, id + " (" + operation + " through " + node + " at +" + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    /** The ids whose {@code pluses} (id -> count, as read from the primaries) are outside what the writers did. */
    Set<Long> wrongCounts(Map<Long, Integer> pluses) {
        Set<Long> wrong = new TreeSet<>();
        pluses.forEach((id, count) -> {
            int least = updated.getOrDefault(id, 0);
            if (count < least || count > least + maybeUpdated.getOrDefault(id, 0)) {
                wrong.add(id);
            }
        });
        return wrong;
    }

    /** The ids missed, each with how and when it was first missed. */
    Map<Long, String> misses() {
        return Map.copyOf(misses);
    }
}
