package dev.shardman.applier.objects;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The table privileges that the holder's non-superuser {@code conninfo} role has on one local
 * partition: the role that every peer's user mapping for {@code shardman_node_<holder id>} connects
 * as, so the role through which applications on other nodes read and write this partition.
 * Expected: exactly {@link #PRIVILEGES}; observed: those of {@link #PRIVILEGES} the role holds
 * (others a DBA granted are left alone and not reported).
 */
public record PartitionGrant(TableName table, String role, SortedSet<String> privileges) implements NodeObject {
    /** What postgres_fdw needs on the remote table for SELECT, INSERT, COPY, UPDATE and DELETE through a foreign partition. */
    public static final List<String> PRIVILEGES = List.of("DELETE", "INSERT", "SELECT", "UPDATE");

    public PartitionGrant {
        requireNonNull(table, "table is null");
        requireNonNull(role, "role is null");
        privileges = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(privileges, "privileges is null")));
    }

    /** The expected grant: all of {@link #PRIVILEGES}. */
    public static PartitionGrant full(TableName table, String role) {
        return new PartitionGrant(table, role, new TreeSet<>(PRIVILEGES));
    }

    /** Whether the role holds every privilege shardman grants. */
    public boolean complete() {
        return privileges.containsAll(PRIVILEGES);
    }

    /** The privileges shardman grants that the role lacks here. */
    public Set<String> missing() {
        TreeSet<String> missing = new TreeSet<>(PRIVILEGES);
        missing.removeAll(privileges);
        return missing;
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.PARTITION_GRANT, table + " to " + role);
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitPartitionGrant(this);
    }

    @Override
    public String describe() {
        return "grant of " + String.join(", ", privileges) + " on " + table + " to " + role;
    }
}
