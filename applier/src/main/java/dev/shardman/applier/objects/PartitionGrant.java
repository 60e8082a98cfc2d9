package dev.shardman.applier.objects;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Table privileges that one role must have on one table of this node, and, when {@code privileges}
 * holds {@link #SCHEMA_USAGE}, USAGE on the table's schema. Expected for: the holder's non-superuser
 * {@code conninfo} role on its local partitions (peers' user mappings connect as that role, see
 * {@link #full}), the master's {@code conninfo} role on a shared table's data table, and every
 * role a table's {@code grants} names in the spec, on the parent or the shared view. Observed: those
 * of {@link #PRIVILEGES} the role holds on the table, plus {@link #SCHEMA_USAGE} when it may use the
 * schema (also through PUBLIC); only roles some state names are observed.
 */
public record PartitionGrant(TableName table, String role, SortedSet<String> privileges) implements NodeObject {
    /** What postgres_fdw needs on the remote table for SELECT, INSERT, COPY, UPDATE and DELETE through a foreign partition. */
    public static final List<String> PRIVILEGES = List.of("DELETE", "INSERT", "SELECT", "UPDATE");
    /** USAGE on the table's schema: not a table privilege, granted and observed on the schema. */
    public static final String SCHEMA_USAGE = "USAGE";

    public PartitionGrant {
        requireNonNull(table, "table is null");
        requireNonNull(role, "role is null");
        privileges = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(privileges, "privileges is null")));
    }

    /** The expected grant on a local partition: all of {@link #PRIVILEGES}. */
    public static PartitionGrant full(TableName table, String role) {
        return new PartitionGrant(table, role, new TreeSet<>(PRIVILEGES));
    }

    /** {@code tablePrivileges} on the table and USAGE on its schema. */
    public static PartitionGrant withSchemaUsage(TableName table, String role, Collection<String> tablePrivileges) {
        TreeSet<String> privileges = new TreeSet<>(tablePrivileges);
        privileges.add(SCHEMA_USAGE);
        return new PartitionGrant(table, role, privileges);
    }

    /** The table privileges, without {@link #SCHEMA_USAGE}. */
    public SortedSet<String> tablePrivileges() {
        TreeSet<String> result = new TreeSet<>(privileges);
        result.remove(SCHEMA_USAGE);
        return result;
    }

    public boolean includesSchemaUsage() {
        return privileges.contains(SCHEMA_USAGE);
    }

    /** The privileges of {@code expected} that this (observed) grant lacks. */
    public Set<String> missingFrom(PartitionGrant expected) {
        TreeSet<String> missing = new TreeSet<>(expected.privileges);
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
