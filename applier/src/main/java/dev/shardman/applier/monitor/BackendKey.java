package dev.shardman.applier.monitor;

import java.util.Comparator;

import static java.util.Objects.requireNonNull;

/** A backend of a node: the node's name and the backend's pid. Sorted by node, then pid. */
public record BackendKey(String node, int pid) implements Comparable<BackendKey> {
    private static final Comparator<BackendKey> ORDER = Comparator.comparing(BackendKey::node).thenComparingInt(BackendKey::pid);

    public BackendKey {
        requireNonNull(node, "node is null");
    }

    @Override
    public int compareTo(BackendKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return node + ":" + pid;
    }
}
