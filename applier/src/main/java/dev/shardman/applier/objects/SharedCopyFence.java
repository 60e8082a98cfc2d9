package dev.shardman.applier.objects;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The node side of a shared table's master change. On the old master, inside one transaction: its view and data table
 * locked IN EXCLUSIVE MODE (writers wait, readers go on), and, before that transaction commits, a row trigger on its
 * data table that forwards every write that is not replication (the apply worker does not fire it) to the new master
 * through the foreign table of its view, and skips the local row: a writer that waited on the fence, or that comes
 * through a node whose view still points here, is forwarded instead of failing or writing into a copy. On the new
 * master the trigger goes before its first write.
 */
public final class SharedCopyFence {
    public static final String FORWARD_TRIGGER = "shardman_shared_copy_forward";
    private static final String FORWARD_FUNCTION = """
            CREATE OR REPLACE FUNCTION public.shardman_forward_shared_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp AS $shardman$
            DECLARE
                column_list text;
                key_list text;
            BEGIN
                -- TG_ARGV[0]: the foreign table on the master; the columns and the key are the data table's own
                SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO column_list
                  FROM pg_attribute a WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped;
                SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO key_list
                  FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                 WHERE i.indrelid = TG_RELID AND i.indisprimary;
                IF TG_OP = 'INSERT' THEN
                    EXECUTE format('INSERT INTO %s (%s) SELECT ($1).*', TG_ARGV[0], column_list) USING NEW;
                ELSIF TG_OP = 'UPDATE' THEN
                    EXECUTE format('UPDATE %s SET (%s) = (SELECT * FROM (SELECT ($1).*) AS n) WHERE (%s) = (SELECT %s FROM (SELECT ($2).*) AS o)',
                                   TG_ARGV[0], column_list, key_list, key_list) USING NEW, OLD;
                ELSE
                    EXECUTE format('DELETE FROM %s WHERE (%s) = (SELECT %s FROM (SELECT ($1).*) AS o)', TG_ARGV[0], key_list, key_list) USING OLD;
                END IF;
                RETURN NULL;
            END
            $shardman$""";

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

    /** In the connection's open transaction: writes into the old master's data table go to {@code foreignTable} from now on. */
    public static void forwardWrites(Connection oldMaster, TableName data, TableName foreignTable) throws SQLException {
        try (Statement statement = oldMaster.createStatement()) {
            statement.execute(FORWARD_FUNCTION);
            statement.execute("DROP TRIGGER IF EXISTS " + SqlNames.identifier(FORWARD_TRIGGER) + " ON " + SqlNames.qualified(data));
            statement.execute("CREATE TRIGGER " + SqlNames.identifier(FORWARD_TRIGGER) + " BEFORE INSERT OR UPDATE OR DELETE ON "
                    + SqlNames.qualified(data) + " FOR EACH ROW EXECUTE FUNCTION public.shardman_forward_shared_write("
                    + SqlNames.literal(SqlNames.qualified(foreignTable)) + ")");
        }
    }

    /** Autocommit: the new master's data table takes writes again (a copy made read-only by an earlier master change). */
    public static void makeWritable(Connection newMaster, TableName data) throws SQLException {
        boolean autoCommit = newMaster.getAutoCommit();
        newMaster.setAutoCommit(true);
        try (Statement statement = newMaster.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS " + SqlNames.identifier(FORWARD_TRIGGER) + " ON " + SqlNames.qualified(data));
        } finally {
            newMaster.setAutoCommit(autoCommit);
        }
    }
}
