package dev.shardman.applier.objects;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One difference between expected and observed objects of a node, with a human reason that
 * drift-check prints verbatim. CREATE has only {@code expected}, DROP only {@code observed}, ALTER
 * and REPLACE both. {@code losesData} marks changes that drop rows (dropping a local partition or a
 * parent, dropping a column, replacing a parent).
 */
public record ObjectChange(ChangeAction action, ObjectKey key, Optional<NodeObject> expected, Optional<NodeObject> observed,
                           String reason, boolean losesData) {
    public ObjectChange {
        requireNonNull(action, "action is null");
        requireNonNull(key, "key is null");
        requireNonNull(expected, "expected is null");
        requireNonNull(observed, "observed is null");
        requireNonNull(reason, "reason is null");
        if (expected.isEmpty() != (action == ChangeAction.DROP) || observed.isEmpty() != (action == ChangeAction.CREATE)) {
            throw new IllegalArgumentException(action + " of " + key + " with expected " + expected + " and observed " + observed);
        }
    }

    /** One line: {@code -/+ foreign partition public.t_3_fdw: <reason>}. */
    public String describe() {
        return action.symbol() + " " + key + ": " + reason + (losesData ? " (loses data)" : "");
    }

    @Override
    public String toString() {
        return describe();
    }
}
