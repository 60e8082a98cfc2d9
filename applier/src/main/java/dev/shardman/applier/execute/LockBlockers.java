package dev.shardman.applier.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The sessions that block one backend of shardman on a node ({@code pg_blocking_pids}), as read from a
 * watching connection of its own while that backend waits for a lock: once its lock wait timed out it
 * waits for nothing, so the blockers must be seen during the wait. Read-only except {@link #terminate}.
 */
final class LockBlockers {
    private static final String BLOCKERS = """
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), a.backend_type,
                   to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ'), coalesce(a.wait_event, '')
            FROM pg_catalog.pg_stat_activity a WHERE a.pid = ANY (pg_catalog.pg_blocking_pids(?)) ORDER BY a.pid""";
    private static final String TERMINATE = "SELECT pg_catalog.pg_terminate_backend(?)";
    /** Other sessions (not this process's: its application_name) holding a lock on a relation or one of its partitions. */
    private static final String HOLDERS = """
            SELECT DISTINCT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), a.backend_type,
                   to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ'), coalesce(a.wait_event, '')
            FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
            WHERE l.granted AND l.locktype = 'relation' AND a.pid <> pg_catalog.pg_backend_pid()
              AND a.application_name IS DISTINCT FROM pg_catalog.current_setting('application_name')
              AND l.relation IN (SELECT tree.relid FROM pg_catalog.unnest(?::text[]) AS named(name),
                                 pg_catalog.pg_partition_tree(pg_catalog.to_regclass(named.name)) AS tree)
            ORDER BY a.pid""";

    /** One blocking session, as pg_stat_activity shows it. */
    record Blocker(int pid, String applicationName, String state, String backendType, String since, String waitEvent) {
        Blocker {
            requireNonNull(applicationName, "applicationName is null");
            requireNonNull(state, "state is null");
            requireNonNull(backendType, "backendType is null");
            requireNonNull(since, "since is null");
            requireNonNull(waitEvent, "waitEvent is null");
        }

        /** A client's session (not a replication worker or autovacuum, which shardman never terminates). */
        boolean client() {
            return backendType.equals("client backend");
        }

        String describe() {
            return "pid " + pid + " (application_name '" + applicationName + "', " + (state.isEmpty() ? backendType : state)
                    + (waitEvent.isEmpty() ? "" : ", waiting on " + waitEvent) + ", in its transaction since " + since + ")";
        }
    }

    private final Connection watcher;
    private final Map<Integer, Blocker> seen = new TreeMap<>();

    /** @param watcher a connection of its own to the node (not the blocked backend's), used by one thread at a time */
    LockBlockers(Connection watcher) {
        this.watcher = requireNonNull(watcher, "watcher is null");
    }

    /** Reads who blocks {@code blockedPid} now and remembers them; returns them. */
    synchronized List<Blocker> observe(int blockedPid) throws SQLException {
        List<Blocker> result = new ArrayList<>();
        try (PreparedStatement statement = watcher.prepareStatement(BLOCKERS)) {
            statement.setInt(1, blockedPid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(new Blocker(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.getString(6)));
                }
            }
        }
        result.forEach(blocker -> seen.put(blocker.pid(), blocker));
        return result;
    }

    /**
     * After a lock wait ran out (the waiting backend waits for nothing any more): the other sessions that hold a lock on
     * {@code relations} (qualified names) or their partitions, the likely blockers; read-only.
     */
    List<Blocker> holdersOf(List<String> relations) throws SQLException {
        List<Blocker> result = new ArrayList<>();
        try (PreparedStatement statement = watcher.prepareStatement(HOLDERS)) {
            statement.setArray(1, watcher.createArrayOf("text", relations.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(new Blocker(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.getString(6)));
                }
            }
        }
        return result;
    }

    /** Every blocker observed since the last {@link #clear}, by pid. */
    synchronized List<Blocker> seen() {
        return List.copyOf(seen.values());
    }

    synchronized void clear() {
        seen.clear();
    }

    /** Terminates the client sessions among {@code blockers} (cancelling would not end an idle transaction); returns those ended. */
    synchronized List<Blocker> terminate(List<Blocker> blockers) throws SQLException {
        List<Blocker> ended = new ArrayList<>();
        for (Blocker blocker : blockers) {
            if (!blocker.client()) {
                continue;
            }
            try (PreparedStatement statement = watcher.prepareStatement(TERMINATE)) {
                statement.setInt(1, blocker.pid());
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        ended.add(blocker);
                    }
                }
            }
        }
        return ended;
    }
}
