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
 * What a server must offer to be a node: PostgreSQL 15 or newer, {@code wal_level = logical} and room for
 * replication and two-phase commit ({@link #check}); and, at plan time, room for what the plan will run on
 * it ({@link #planProblems}): every problem names the node, the setting, what is needed against what is
 * set, and the value to use.
 */
final class NodeRequirements {
    static final int MINIMUM_VERSION_NUM = 150000;
    private static final String SETTINGS = """
            SELECT current_setting('server_version_num')::int, current_setting('wal_level'),
                   current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int,
                   current_setting('max_logical_replication_workers')::int, current_setting('max_worker_processes')::int,
                   current_setting('max_prepared_transactions')::int,
                   (SELECT system_identifier::text FROM pg_catalog.pg_control_system()),
                   (SELECT setting::bigint FROM pg_catalog.pg_settings WHERE name = 'max_slot_wal_keep_size'), current_setting('max_locks_per_transaction')::int,
                   current_setting('max_connections')::int, current_setting('max_sync_workers_per_subscription')::int,
                   current_setting('port')::int, pg_catalog.current_database()""";
    private static final String[] COUNTS = {"max_replication_slots", "max_wal_senders", "max_logical_replication_workers",
        "max_worker_processes", "max_prepared_transactions"};
    /** Recommended values (README "Node settings"): room for about ten nodes' channels and a move. */
    private static final int[] SUGGESTED = {16, 16, 8, 16, 64};

    /**
     * A server's settings as it runs now. {@code maxSlotWalKeepSizeMegabytes} is -1 when unbounded.
     */
    record ServerFacts(String node, int versionNum, String walLevel, int[] counts, String systemIdentifier, long maxSlotWalKeepSizeMegabytes,
                       int maxLocksPerTransaction, int maxConnections, int syncWorkersPerSubscription, int port, String database) {
        int slots() {
            return counts[0];
        }

        /** The shared lock table's slots: max_locks_per_transaction × (max_connections + max_prepared_transactions). */
        long lockTable() {
            return (long) maxLocksPerTransaction * (maxConnections + counts[4]);
        }
    }

    private NodeRequirements() {
    }

    /** Checks {@code node}'s server; returns its system identifier. */
    static String check(Connection connection, String node) throws SQLException {
        ServerFacts facts = read(connection, node);
        List<String> problems = basicProblems(facts);
        if (!problems.isEmpty()) {
            throw new ShardmanException(ErrorCode.REFUSED, node + " cannot be a shardman node: " + String.join("; ", problems),
                    "change the settings named above on " + node + ", restart it, then run apply again");
        }
        return facts.systemIdentifier();
    }

    static ServerFacts read(Connection connection, String node) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(SETTINGS)) {
            row.next();
            int[] counts = new int[COUNTS.length];
            for (int index = 0; index < COUNTS.length; index++) {
                counts[index] = row.getInt(3 + index);
            }
            return new ServerFacts(node, row.getInt(1), row.getString(2), counts, row.getString(8), row.getLong(9), row.getInt(10),
                    row.getInt(11), row.getInt(12), row.getInt(13), row.getString(14));
        }
    }

    /** What any node needs, whatever the plan. */
    static List<String> basicProblems(ServerFacts facts) {
        List<String> problems = new ArrayList<>();
        if (facts.versionNum() < MINIMUM_VERSION_NUM) {
            problems.add("server_version_num is " + facts.versionNum() + ": PostgreSQL 15 or newer is required");
        }
        if (!facts.walLevel().equals("logical")) {
            problems.add("wal_level is " + facts.walLevel() + ": run ALTER SYSTEM SET wal_level = logical; then restart the server");
        }
        for (int index = 0; index < COUNTS.length; index++) {
            if (facts.counts()[index] <= 0) {
                problems.add(COUNTS[index] + " is " + facts.counts()[index] + ": run ALTER SYSTEM SET " + COUNTS[index] + " = "
                        + SUGGESTED[index] + "; then restart the server");
            }
        }
        return problems;
    }

    /**
     * The basic problems plus the plan's needs on this node: its channels' slots, WAL senders, logical
     * replication workers and worker processes ({@code demand}), one prepared transaction per step, and the
     * locks of the largest table created in one transaction ({@code locksNeeded}, against the shared lock
     * table of max_locks_per_transaction × (max_connections + max_prepared_transactions)).
     */
    static List<String> planProblems(ServerFacts facts, ChannelDemand demand, long locksNeeded) {
        List<String> problems = new ArrayList<>();
        basicProblems(facts).forEach(problem -> problems.add(facts.node() + ": " + problem));
        int[] needed = {demand.slots(), demand.walSenders(), demand.logicalWorkers(), demand.workerProcesses(), 1};
        String[] counted = {demand.asSource(), demand.asSource(), demand.asDestination(), demand.asDestination() + ", the launcher",
            "steps commit one at a time"};
        for (int index = 0; index < COUNTS.length; index++) {
            if (facts.counts()[index] > 0 && facts.counts()[index] < needed[index]) {
                problems.add(facts.node() + ": " + COUNTS[index] + " is " + facts.counts()[index] + ", the plan needs " + needed[index]
                        + " (" + counted[index] + "): run ALTER SYSTEM SET " + COUNTS[index] + " = "
                        + Math.max(SUGGESTED[index], 2 * needed[index]) + "; then restart the server");
            }
        }
        long sessions = (long) facts.maxConnections() + facts.counts()[4];
        long lockTable = facts.lockTable();
        if (locksNeeded > lockTable) {
            long perTransaction = (2 * locksNeeded + sessions - 1) / sessions;
            problems.add(facts.node() + ": max_locks_per_transaction is " + facts.maxLocksPerTransaction() + ", the largest table the plan"
                    + " creates in one transaction takes about " + locksNeeded + " locks, more than the lock table holds ("
                    + facts.maxLocksPerTransaction() + " × " + sessions + " sessions = " + lockTable + "): run ALTER SYSTEM SET"
                    + " max_locks_per_transaction = " + perTransaction + "; then restart the server");
        }
        return problems;
    }

    /**
     * Settings that are enough but make the initial copies wait their turn: one line per setting below the
     * plan's full parallelism, with the value for full speed.
     */
    static List<String> slowCopies(ServerFacts facts, ChannelDemand demand) {
        int[] full = {demand.fullSlots(), demand.fullSlots(), demand.fullLogicalWorkers(), demand.fullWorkerProcesses()};
        int[] needed = {demand.slots(), demand.walSenders(), demand.logicalWorkers(), demand.workerProcesses()};
        List<String> warnings = new ArrayList<>();
        for (int index = 0; index < full.length; index++) {
            int set = facts.counts()[index];
            if (set >= needed[index] && set < full[index]) {
                warnings.add(facts.node() + ": " + COUNTS[index] + " is " + set + ", the plan's initial copies could use " + full[index]
                        + " at once and will wait their turn instead; for full speed run ALTER SYSTEM SET " + COUNTS[index] + " = "
                        + full[index] + "; then restart the server");
            }
        }
        return warnings;
    }

    /** Two nodes on one server (same system identifier) would replicate into themselves; one problem per extra node. */
    static List<String> sameServerProblems(List<ServerFacts> nodes) {
        List<String> problems = new ArrayList<>();
        for (int later = 1; later < nodes.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                ServerFacts first = nodes.get(earlier);
                ServerFacts second = nodes.get(later);
                if (first.systemIdentifier().equals(second.systemIdentifier())) {
                    problems.add(second.node() + " is the same server as " + first.node() + " (system identifier " + second.systemIdentifier()
                            + "; port " + first.port() + " database " + first.database() + ", port " + second.port() + " database "
                            + second.database() + "): each node needs a server of its own; give " + second.node()
                            + " the conninfo of another server in cluster.yaml");
                    break;
                }
            }
        }
        return problems;
    }
}
