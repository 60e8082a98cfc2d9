package dev.shardman.applier.objects;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.NodeSessions;
import dev.shardman.model.Diagnostic;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.SourcePosition;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.SpecValidationException;
import dev.shardman.model.spec.TableSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plan-time check of the spec's column types and defaults against the nodes that will run them: what a
 * node's server refuses (an unknown type or function, a bad modifier, a default of the wrong type) is
 * refused before any step runs, at the value's {@code file:line:column}; a type or a default the catalog
 * prints back differently from how the spec spells it (so that plan would never converge) is refused with
 * the spelling to use ({@link NodeDefaultCheck} for defaults). Validation has already proved each value lexically safe (a type name, one expression),
 * so splicing it into a PREPARE cannot end the statement; PREPARE only parses and analyses (planning
 * and execution never happen), inside a read-only transaction that is rolled back. Lost or unreachable
 * nodes are skipped: plan and apply report those themselves.
 */
public final class ColumnValuesCheck {
    private ColumnValuesCheck() {
    }

    /** Throws a {@link SpecValidationException} listing every refused value; returns when every node accepts them all. */
    public static void refuseInvalid(ConnectionFactory factory, ClusterSpec spec) {
        List<Diagnostic> problems = check(factory, spec);
        if (!problems.isEmpty()) {
            throw new SpecValidationException(problems);
        }
    }

    /** One diagnostic per refused value (the first node that refuses it), in file order. */
    public static List<Diagnostic> check(ConnectionFactory factory, ClusterSpec spec) {
        Map<SourcePosition, Diagnostic> found = new LinkedHashMap<>();
        try (NodeSessions sessions = NodeSessions.open(factory, spec)) {
            sessions.reached().forEach((node, connection) -> check(connection, node, spec, found));
        }
        List<Diagnostic> result = new ArrayList<>(found.values());
        result.sort(Comparator.comparingInt((Diagnostic diagnostic) -> diagnostic.position().line())
                .thenComparingInt(diagnostic -> diagnostic.position().column()));
        return result;
    }

    private static void check(Connection connection, String node, ClusterSpec spec, Map<SourcePosition, Diagnostic> found) {
        try {
            new NodeColumnCheck(connection, node).check(spec.tables(), found);
            new NodeDefaultCheck(connection, node).check(spec.tables(), found);
        } catch (SQLException failure) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE,
                    "checking the spec's column types on node " + node + " failed: " + failure.getMessage(), "");
        }
    }

    static String subject(TableSpec table, ColumnSpec column) {
        return "table \"" + table.name() + "\": column \"" + column.name() + "\"";
    }
}
