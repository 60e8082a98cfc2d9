package dev.shardman.model.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/** A table's grants (role → table privileges) in one canonical form, so that spec, state and steps compare equal. */
public final class Grants {
    private Grants() {
    }

    /** Roles sorted, each role's privileges sorted and without repeats; unmodifiable. */
    public static Map<String, List<String>> sorted(Map<String, List<String>> grants) {
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        requireNonNull(grants, "grants is null").forEach((role, privileges) -> sorted.put(requireNonNull(role, "role is null"),
                List.copyOf(new TreeSet<>(privileges))));
        return Collections.unmodifiableSortedMap(sorted);
    }
}
