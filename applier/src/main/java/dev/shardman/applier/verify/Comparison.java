package dev.shardman.applier.verify;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of comparing one copy with its source: for a replica, partition {@code name} of sharded
 * table {@code table} on {@code copyNode} against its primary on {@code sourceNode}; for a shared
 * table, its copy on {@code copyNode} against the master's rows ({@code name} is the table's name).
 * The figures are those of the last attempt; {@code attempts} counts how many reads it took (a
 * mismatch is reported only when every attempt disagreed). {@code note} says why a copy may legitimately
 * lag (its slot had not confirmed the source's position in time), or is empty.
 */
public record Comparison(Kind kind, String table, String name, String sourceNode, TableChecksum source, String copyNode, TableChecksum copy,
                         int attempts, String note) {
    /** What was compared. */
    public enum Kind {
        /** A replica of a partition of a sharded table against the partition's primary. */
        REPLICA("replica", "primary"),
        /** A copy of a shared table against the master's rows. */
        SHARED_COPY("shared copy", "master");

        private final String copyRole;
        private final String sourceRole;

        Kind(String copyRole, String sourceRole) {
            this.copyRole = copyRole;
            this.sourceRole = sourceRole;
        }

        /** "replica" or "shared copy". */
        public String copyRole() {
            return copyRole;
        }

        /** "primary" or "master". */
        public String sourceRole() {
            return sourceRole;
        }
    }

    public Comparison {
        requireNonNull(kind, "kind is null");
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        requireNonNull(sourceNode, "sourceNode is null");
        requireNonNull(source, "source is null");
        requireNonNull(copyNode, "copyNode is null");
        requireNonNull(copy, "copy is null");
        requireNonNull(note, "note is null");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be positive: " + attempts);
        }
    }

    public boolean matches() {
        return source.equals(copy);
    }
}
