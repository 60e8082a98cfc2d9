package dev.shardman.applier.objects;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** A row of pg_prepared_xacts with a shardman gid. */
public record PreparedTransaction(String gid, Instant prepared, String owner, String database) {
    public PreparedTransaction {
        requireNonNull(gid, "gid is null");
        requireNonNull(prepared, "prepared is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(database, "database is null");
    }
}
