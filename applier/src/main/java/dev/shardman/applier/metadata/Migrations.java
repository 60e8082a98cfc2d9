package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and upgrades the {@code shardman} schema in the shardlord database. The versions are the
 * {@link #ALL} list (one SQL resource each, applied in order, each recorded in
 * {@code shardman.schema_version}). The whole upgrade runs in one transaction under a transaction-level
 * advisory lock, so two processes cannot migrate at once and a failed upgrade leaves nothing behind.
 * A database already at a version newer than {@link #latest()} is refused: this code would misread it.
 */
final class Migrations {
    /** Every schema version this code knows, oldest first. Append; never edit an applied one. */
    static final List<Migration> ALL = List.of(new Migration(1, "initial"), new Migration(2, "moves"),
            new Migration(3, "accepted_mismatch"), new Migration(4, "lock_epoch"),
            new Migration(5, "table_grants"), new Migration(6, "move_id_bound"), new Migration(7, "cluster_settings"),
            new Migration(8, "monitor_lease"), new Migration(9, "automatic_failover"),
            new Migration(10, "plan_runs"));

    /** Key of the transaction advisory lock that serialises migrations ("shardmig" in ASCII). */
    static final long MIGRATION_LOCK_KEY = 0x73686172646D6967L;

    private static final String CREATE_VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS shardman.schema_version (
                version     integer PRIMARY KEY,
                description text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                applied_by  text NOT NULL DEFAULT current_user
            )""";
    private static final String CURRENT_VERSION = "SELECT coalesce(max(version), 0) FROM shardman.schema_version";
    private static final String RECORD_VERSION = "INSERT INTO shardman.schema_version (version, description) VALUES (?, ?)";

    private Migrations() {
    }

    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /**
     * Brings the schema to {@link #latest()}; returns the versions applied (empty when it was current).
     * Leaves {@code connection} in the autocommit mode it found.
     */
    static List<Integer> migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            List<Integer> applied = migrateInTransaction(connection);
            connection.commit();
            return applied;
        } catch (SQLException | RuntimeException failure) {
            connection.rollback();
            throw failure;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static List<Integer> migrateInTransaction(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")");
            statement.execute("CREATE SCHEMA IF NOT EXISTS shardman");
            statement.execute(CREATE_VERSION_TABLE);
        }
        int current = currentVersion(connection);
        if (current > latest()) {
            throw new ShardmanException(ErrorCode.REFUSED,
                    "the shardman metadata in the shardlord is at schema version " + current
                            + ", newer than this shardman knows (" + latest() + ")",
                    "a newer shardman has upgraded it; use that version (or newer) of shardman");
        }
        List<Migration> pending = ALL.stream().filter(migration -> migration.version() > current).toList();
        for (Migration migration : pending) {
            apply(connection, migration);
        }
        return pending.stream().map(Migration::version).toList();
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(CURRENT_VERSION)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void apply(Connection connection, Migration migration) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql(migration));
        }
        try (PreparedStatement record = connection.prepareStatement(RECORD_VERSION)) {
            record.setInt(1, migration.version());
            record.setString(2, migration.name());
            record.executeUpdate();
        }
    }

    static String sql(Migration migration) {
        try (InputStream in = Migrations.class.getResourceAsStream(migration.resource())) {
            if (in == null) {
                throw new IllegalStateException("the migration resource " + migration.resource() + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
