package dev.shardman.applier.objects;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The node side of a shared table's master change. On the old master, inside one transaction: its view and data table
 * locked IN EXCLUSIVE MODE (writers wait, readers go on), and, before that transaction commits, its data table made a
 * read-only copy: a statement trigger refuses every write that is not replication (the apply worker does not fire it),
 * so a writer that waited on the fence and still reaches the old data table gets a clear, retryable error instead of
 * writing into a copy. On the new master the trigger goes before its first write.
 */
public final class SharedCopyFence {
    public static final String READ_ONLY_TRIGGER = "shardman_shared_copy_read_only";

    private SharedCopyFence() {
    }

    /** In the connection's open transaction: waits at most {@code lockTimeout} for the writers in flight, then blocks new ones. */
    public static void lock(Connection oldMaster, TableName view, TableName data, Duration lockTimeout) throws SQLException {
        try (Statement statement = oldMaster.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = " + SqlNames.literal(lockTimeout.toMillis() + "ms"));
            // the view first: writers entering through it hold it while they write the data table
            statement.execute("LOCK TABLE " + SqlNames.qualified(view) + ", " + SqlNames.qualified(data) + " IN EXCLUSIVE MODE");
        }
    }

    /** In the connection's open transaction: the old master's data table refuses writes from now on (replication excepted). */
    public static void makeReadOnly(Connection oldMaster, TableName data, String node, String newMaster) throws SQLException {
        String message = "shardman: " + data + " on " + node + " is a copy: the master of this shared table moved to " + newMaster
                + "; retry the write";
        try (Statement statement = oldMaster.createStatement()) {
            statement.execute("""
                    CREATE OR REPLACE FUNCTION public.shardman_refuse_replica_write() RETURNS trigger LANGUAGE plpgsql AS $shardman$
                    BEGIN
                        RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'read_only_sql_transaction';
                    END
                    $shardman$""");
            statement.execute("DROP TRIGGER IF EXISTS " + SqlNames.identifier(READ_ONLY_TRIGGER) + " ON " + SqlNames.qualified(data));
            statement.execute("CREATE TRIGGER " + SqlNames.identifier(READ_ONLY_TRIGGER) + " BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                    + SqlNames.qualified(data) + " FOR EACH STATEMENT EXECUTE FUNCTION public.shardman_refuse_replica_write("
                    + SqlNames.literal(message) + ")");
        }
    }

    /** Autocommit: the new master's data table takes writes again (a copy made read-only by an earlier master change). */
    public static void makeWritable(Connection newMaster, TableName data) throws SQLException {
        boolean autoCommit = newMaster.getAutoCommit();
        newMaster.setAutoCommit(true);
        try (Statement statement = newMaster.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS " + SqlNames.identifier(READ_ONLY_TRIGGER) + " ON " + SqlNames.qualified(data));
        } finally {
            newMaster.setAutoCommit(autoCommit);
        }
    }
}
