package dev.shardman.model.spec;

import dev.shardman.model.DerivedNames;
import dev.shardman.model.SourcePosition;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Every name that becomes a PostgreSQL identifier (cluster, node, replication group, table, schema,
 * column, index) must be non-empty, at most 63 bytes of UTF-8 (PostgreSQL silently truncates longer
 * names, so two long names could become one) and free of control characters.
 */
final class IdentifierRules implements SpecRule {
    static final int MAXIMUM_BYTES = DerivedNames.MAXIMUM_BYTES;

    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        checkName(spec.positions(), "cluster", "spec", spec.cluster(), diagnostics);
        for (NodeSpec node : spec.nodes()) {
            checkName(node.positions(), "name", Subjects.node(node), node.name(), diagnostics);
            checkName(node.positions(), "replication_group", Subjects.node(node), node.replicationGroup(), diagnostics);
        }
        for (TableSpec table : spec.tables()) {
            checkName(table.positions(), "name", Subjects.table(table), table.name(), diagnostics);
            checkName(table.positions(), "schema", Subjects.table(table), table.schema(), diagnostics);
            for (ColumnSpec column : table.columns()) {
                checkName(column.positions(), "name", Subjects.column(table, column), column.name(), diagnostics);
            }
            for (IndexSpec index : table.indexes()) {
                checkName(index.positions(), "name", Subjects.index(table, index), index.name(), diagnostics);
            }
        }
    }

    /** Why {@code name} is not a usable identifier, if it is not. */
    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("it is empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAXIMUM_BYTES) {
            return Optional.of("it is " + bytes + " bytes long in UTF-8, over PostgreSQL's limit of " + MAXIMUM_BYTES);
        }
        return name.codePoints().filter(Character::isISOControl).boxed().findFirst()
                .map(control -> "it contains the control character U+" + String.format("%04X", control));
    }

    private static void checkName(Positions positions, String key, String subject, String name, Diagnostics diagnostics) {
        if (!positions.has(key)) {
            return;
        }
        SourcePosition position = positions.of(key);
        problem(name).ifPresent(problem -> diagnostics.error(position,
                subject + ": " + key + " is not a valid identifier: " + problem + "; choose another name"));
    }
}
