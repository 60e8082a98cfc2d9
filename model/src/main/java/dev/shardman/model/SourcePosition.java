package dev.shardman.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a value came from: a file and a 1-based line and column. Prints as {@code file:line:column},
 * the prefix of every message about a spec.
 */
public record SourcePosition(String file, int line, int column) {
    /** Used for values that were not read from a file (defaults, programmatic specs). */
    public static final SourcePosition UNKNOWN = new SourcePosition("<unknown>", 0, 0);

    public SourcePosition {
        requireNonNull(file, "file is null");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
