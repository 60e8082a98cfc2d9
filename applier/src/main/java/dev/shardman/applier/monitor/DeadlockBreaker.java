package dev.shardman.applier.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the cross-node cycles of a poll, confirms them with the previous poll ({@link DeadlockDetector}) and cancels
 * the victim of each confirmed one ({@link WaitCycle#victim()}) with {@code pg_cancel_backend}, only if that backend
 * still runs the same transaction. Cycles sharing a backend with one already broken in this poll are left to the next.
 */
final class DeadlockBreaker {
    private static final String CANCEL = """
            SELECT pg_catalog.pg_cancel_backend(pid) FROM pg_catalog.pg_stat_activity
            WHERE pid = ? AND (extract(epoch FROM xact_start) * 1000000)::bigint = ?""";

    /** The outcome of one poll: confirmed deadlocks and the cancels that succeeded. */
    record Outcome(int detected, int resolved) {
    }

    private final DeadlockDetector detector = new DeadlockDetector();

    Outcome poll(NodePoll nodes, Consumer<MonitorEvent> events) {
        List<WaitCycle> cycles = new WaitGraph(nodes.backends()).crossNodeCycles();
        List<WaitCycle> confirmed = detector.confirm(cycles);
        cycles.stream().filter(cycle -> !confirmed.contains(cycle)).forEach(cycle -> events.accept(MonitorEvent.of(
                MonitorEvent.Kind.DEADLOCK_SUSPECTED, null, "a wait cycle across " + String.join(", ", cycle.nodes())
                        + "; confirming in the next poll: " + cycle.describe(), details(cycle))));
        Set<BackendKey> touched = new HashSet<>();
        int resolved = 0;
        for (WaitCycle cycle : confirmed) {
            if (cycle.backends().stream().anyMatch(backend -> touched.contains(backend.key()))) {
                continue;
            }
            cycle.backends().forEach(backend -> touched.add(backend.key()));
            if (cancel(nodes, cycle, events)) {
                resolved++;
            }
        }
        return new Outcome(confirmed.size(), resolved);
    }

    /** Whether a cycle of the last poll waits for confirmation (so {@code --once} polls a second time). */
    boolean pending() {
        return detector.pending();
    }

    private static boolean cancel(NodePoll nodes, WaitCycle cycle, Consumer<MonitorEvent> events) {
        Backend victim = cycle.victim();
        Optional<Connection> connection = nodes.connection(victim.key().node());
        String failure = "its node did not answer";
        if (connection.isPresent()) {
            try (PreparedStatement statement = connection.get().prepareStatement(CANCEL)) {
                statement.setInt(1, victim.key().pid());
                statement.setLong(2, victim.xactStartMicros());
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        events.accept(MonitorEvent.of(MonitorEvent.Kind.DEADLOCK_RESOLVED, victim.key().node(),
                                "deadlock across " + String.join(", ", cycle.nodes()) + ": cancelled " + victim.key()
                                        + " (the youngest transaction); cycle: " + cycle.describe(), details(cycle)));
                        return true;
                    }
                    failure = "the backend no longer runs that transaction";
                }
            } catch (SQLException failed) {
                failure = String.valueOf(failed.getMessage());
            }
        }
        events.accept(MonitorEvent.of(MonitorEvent.Kind.DEADLOCK_CANCEL_FAILED, victim.key().node(), "deadlock across "
                + String.join(", ", cycle.nodes()) + ": could not cancel " + victim.key() + " (" + failure + "); cycle: " + cycle.describe(),
                details(cycle)));
        return false;
    }

    private static Map<String, Object> details(WaitCycle cycle) {
        List<Map<String, Object>> backends = new ArrayList<>();
        for (Backend backend : cycle.backends()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", backend.key().node());
            row.put("pid", backend.key().pid());
            row.put("application_name", backend.applicationName());
            row.put("wait_event", backend.waitEventType() + "/" + backend.waitEvent());
            row.put("waiting_ms", backend.runningMillis());
            row.put("xact_start_us", backend.xactStartMicros());
            row.put("query", backend.query());
            backends.add(row);
        }
        Backend victim = cycle.victim();
        return Map.of("cycle", backends, "victim", Map.of("node", victim.key().node(), "pid", victim.key().pid()));
    }
}
