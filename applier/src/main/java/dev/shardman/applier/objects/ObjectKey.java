package dev.shardman.applier.objects;

import java.util.Comparator;

import static java.util.Objects.requireNonNull;

/**
 * The stable identity of a node object: its kind and a name unique within the kind (qualified for
 * relations, e.g. {@code public.customers_3_fdw}). Sorted by kind (dependency order), then name.
 */
public record ObjectKey(ObjectKind kind, String name) implements Comparable<ObjectKey> {
    private static final Comparator<ObjectKey> ORDER = Comparator.comparing(ObjectKey::kind).thenComparing(ObjectKey::name);

    public ObjectKey {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
    }

    @Override
    public int compareTo(ObjectKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind.label() + " " + name;
    }
}
