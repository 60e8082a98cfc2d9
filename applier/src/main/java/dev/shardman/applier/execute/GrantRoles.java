package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.NodeSessions;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.TableSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Refuses a spec whose table {@code grants} name a role that does not exist on some node: roles are
 * the DBA's (shardman grants to them, never creates them), and a GRANT to a missing role would fail
 * halfway through an apply. Nodes marked lost or unreachable are skipped: their own problems are
 * reported by the steps that need them.
 */
public final class GrantRoles {
    private static final String MISSING = """
            SELECT role FROM unnest(?::text[]) AS wanted(role)
            WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = wanted.role)
            ORDER BY role""";

    private GrantRoles() {
    }

    /** Throws REFUSED naming every missing role, its tables and the node. */
    public static void requireRoles(ConnectionFactory factory, ClusterSpec spec) {
        Map<String, TreeSet<String>> tablesByRole = new TreeMap<>();
        for (TableSpec table : spec.tables()) {
            table.grants().keySet().forEach(role -> tablesByRole.computeIfAbsent(role, name -> new TreeSet<>()).add(table.name()));
        }
        if (tablesByRole.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        try (NodeSessions sessions = NodeSessions.open(factory, spec)) {
            sessions.reached().forEach((node, connection) -> {
                for (String role : missingOn(connection, tablesByRole.keySet())) {
                    problems.add("role " + role + " (grants of " + String.join(", ", tablesByRole.get(role)) + ") does not exist on " + node);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new ShardmanException(ErrorCode.REFUSED, String.join("; ", problems),
                    "create the roles on those nodes (CREATE ROLE; shardman never creates roles), or remove them from grants, then run plan again");
        }
    }

    private static List<String> missingOn(Connection connection, Set<String> roles) {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(MISSING)) {
            statement.setArray(1, connection.createArrayOf("text", roles.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    missing.add(rows.getString(1));
                }
            }
        } catch (SQLException unreadable) {
            return List.of(); // a node that stops answering here is named by the steps that need it
        }
        return missing;
    }
}
