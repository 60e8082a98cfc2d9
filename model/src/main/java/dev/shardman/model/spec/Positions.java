package dev.shardman.model.spec;

import dev.shardman.model.SourcePosition;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Source positions of one YAML mapping: where the mapping starts and where the value of each key that
 * was present starts. {@link #of(String)} falls back to the mapping's start for keys that were absent
 * (a defaulted value is reported at the object that omitted it).
 */
public record Positions(SourcePosition start, Map<String, SourcePosition> values) {
    public static final Positions UNKNOWN = new Positions(SourcePosition.UNKNOWN, Map.of());

    public Positions {
        requireNonNull(start, "start is null");
        values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    public SourcePosition of(String key) {
        return values.getOrDefault(key, start);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }
}
