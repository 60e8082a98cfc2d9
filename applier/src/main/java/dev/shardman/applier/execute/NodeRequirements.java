package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server must offer to become a node: PostgreSQL 15 or newer, {@code wal_level = logical} and
 * room for replication and two-phase commit. Every problem is listed with the setting to change.
 */
final class NodeRequirements {
    static final int MINIMUM_VERSION_NUM = 150000;
    private static final String SETTINGS = """
            SELECT current_setting('server_version_num')::int, current_setting('wal_level'),
                   current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int,
                   current_setting('max_logical_replication_workers')::int, current_setting('max_worker_processes')::int,
                   current_setting('max_prepared_transactions')::int,
                   (SELECT system_identifier::text FROM pg_catalog.pg_control_system())""";
    private static final String[] COUNTS = {"max_replication_slots", "max_wal_senders", "max_logical_replication_workers",
        "max_worker_processes", "max_prepared_transactions"};
    private static final String[] SUGGESTED = {"16", "16", "8", "16", "64"};

    private NodeRequirements() {
    }

    /** Checks {@code node}'s server; returns its system identifier. */
    static String check(Connection connection, String node) throws SQLException {
        List<String> problems = new ArrayList<>();
        String systemIdentifier;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(SETTINGS)) {
            row.next();
            if (row.getInt(1) < MINIMUM_VERSION_NUM) {
                problems.add("server_version_num is " + row.getInt(1) + ": PostgreSQL 15 or newer is required");
            }
            if (!row.getString(2).equals("logical")) {
                problems.add("wal_level is " + row.getString(2) + ": run ALTER SYSTEM SET wal_level = logical; then restart the server");
            }
            for (int index = 0; index < COUNTS.length; index++) {
                if (row.getInt(3 + index) <= 0) {
                    problems.add(COUNTS[index] + " is " + row.getInt(3 + index) + ": run ALTER SYSTEM SET " + COUNTS[index] + " = "
                            + SUGGESTED[index] + "; then restart the server");
                }
            }
            systemIdentifier = row.getString(8);
        }
        if (!problems.isEmpty()) {
            throw new ShardmanException(ErrorCode.REFUSED, node + " cannot be a shardman node: " + String.join("; ", problems),
                    "change the settings named above on " + node + ", restart it, then run apply again");
        }
        return systemIdentifier;
    }
}
