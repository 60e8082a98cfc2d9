package dev.shardman.applier.replication;

import dev.shardman.applier.objects.SqlNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The replication objects of shardman on a node that leaves the cluster for good, each statement alone in
 * autocommit: its {@code shardman_} subscriptions (DISABLE, {@code slot_name = NONE}, DROP: their publishers
 * may be gone, and a returning lost node must not pull from or stream into the cluster), its {@code shardman_}
 * publications, its idle {@code shardman_} slots, and a shardman-owned {@code synchronous_standby_names}.
 * Slots left on the peers by the dropped subscriptions are orphans that the peers' next shrink drops.
 */
public final class ReplicationCleanup {
    private final ReplicationInspector inspector = new ReplicationInspector();

    /** Read-only: one line per object {@link #run} would remove. */
    public List<String> plan(Connection connection, String node) throws SQLException {
        return lines(inspector.inspect(connection, node), SynchronousStandbys.current(connection));
    }

    /** Removes them; returns one line per object removed. */
    public List<String> run(Connection connection, String node) throws SQLException {
        ObservedReplication observed = inspector.inspect(connection, node);
        String standbys = SynchronousStandbys.current(connection);
        if (SynchronousStandbys.isShardmanOwned(standbys)) {
            ReplicationSql.execute(connection, "ALTER SYSTEM RESET synchronous_standby_names");
            ReplicationSql.execute(connection, "SELECT pg_catalog.pg_reload_conf()");
        }
        for (String subscription : new TreeSet<>(observed.subscriptions().keySet())) {
            String name = SqlNames.identifier(subscription);
            ReplicationSql.execute(connection, "ALTER SUBSCRIPTION " + name + " DISABLE");
            ReplicationSql.execute(connection, "ALTER SUBSCRIPTION " + name + " SET (slot_name = NONE)");
            ReplicationSql.execute(connection, "DROP SUBSCRIPTION IF EXISTS " + name);
        }
        for (String publication : new TreeSet<>(observed.publications().keySet())) {
            ReplicationSql.execute(connection, "DROP PUBLICATION IF EXISTS " + SqlNames.identifier(publication));
        }
        for (String slot : new TreeSet<>(observed.slots().keySet())) {
            ReplicationSql.dropSlot(connection, slot);
        }
        return lines(observed, standbys);
    }

    private static List<String> lines(ObservedReplication observed, String standbys) {
        List<String> result = new ArrayList<>();
        if (SynchronousStandbys.isShardmanOwned(standbys)) {
            result.add("reset synchronous_standby_names (was " + standbys + ")");
        }
        new TreeSet<>(observed.subscriptions().keySet()).forEach(name -> result.add("dropped subscription " + name + " (disabled, slot_name NONE)"));
        new TreeSet<>(observed.publications().keySet()).forEach(name -> result.add("dropped publication " + name));
        observed.slots().values().stream().map(slot -> slot.active() ? "kept replication slot " + slot.name() + " (still in use by a subscriber)"
                : "dropped replication slot " + slot.name()).sorted().forEach(result::add);
        return List.copyOf(result);
    }
}
