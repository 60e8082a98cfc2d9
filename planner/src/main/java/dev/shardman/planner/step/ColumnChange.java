package dev.shardman.planner.step;

import static java.util.Objects.requireNonNull;

/**
 * What a column step does, to which column, in which phase: the plan graph orders the phases of one change
 * and a table's index steps by it.
 */
public record ColumnChange(String table, String column, Effect effect, ColumnPhase phase) {
    public enum Effect {
        ADD,
        ALTER,
        DROP
    }

    public ColumnChange {
        requireNonNull(table, "table is null");
        requireNonNull(column, "column is null");
        requireNonNull(effect, "effect is null");
        requireNonNull(phase, "phase is null");
    }

    /** Drops leave publishers before subscribers and follow the table's index drops; adds and alters go the other way. */
    public boolean drops() {
        return effect == Effect.DROP;
    }
}
