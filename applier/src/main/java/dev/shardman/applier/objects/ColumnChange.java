package dev.shardman.applier.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One column-level difference of a sharded parent; ALTER TABLE on the parent applies it to every
 * partition on the node, local and foreign. Drops come after additions and alterations.
 */
record ColumnChange(Operation operation, Column column, String reason) {
    enum Operation { ADD_COLUMN, ALTER_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT, DROP_COLUMN }

    ColumnChange {
        requireNonNull(operation, "operation is null");
        requireNonNull(column, "column is null");
        requireNonNull(reason, "reason is null");
    }

    static List<ColumnChange> between(ParentTable expected, ParentTable observed) {
        Map<String, Column> have = Mismatches.byName(observed.columns());
        Map<String, Column> want = Mismatches.byName(expected.columns());
        String table = expected.table().toString();
        List<ColumnChange> changes = new ArrayList<>();
        for (Column column : expected.columns()) {
            Column actual = have.get(column.name());
            if (actual == null) {
                changes.add(new ColumnChange(Operation.ADD_COLUMN, column, "column " + column.name() + " of " + table + " is missing"));
                continue;
            }
            if (!SqlText.sameType(column.type(), actual.type())) {
                changes.add(new ColumnChange(Operation.ALTER_TYPE, column, "column " + column.name() + " of " + table
                        + " has type " + actual.type() + ", expected " + column.type()));
            }
            if (column.nullable() != actual.nullable()) {
                changes.add(new ColumnChange(column.nullable() ? Operation.DROP_NOT_NULL : Operation.SET_NOT_NULL, column,
                        "column " + column.name() + " of " + table + (actual.nullable() ? " is nullable" : " is NOT NULL")
                                + ", expected " + (column.nullable() ? "nullable" : "NOT NULL")));
            }
            if (!SqlText.sameDefault(column.defaultExpression(), actual.defaultExpression())) {
                changes.add(new ColumnChange(column.defaultExpression().isPresent() ? Operation.SET_DEFAULT : Operation.DROP_DEFAULT, column,
                        "column " + column.name() + " of " + table + " has default " + text(actual.defaultExpression())
                                + ", expected " + text(column.defaultExpression())));
            }
        }
        for (Column column : observed.columns()) {
            if (!want.containsKey(column.name())) {
                changes.add(new ColumnChange(Operation.DROP_COLUMN, column, "column " + column.name() + " of " + table + " is not expected"));
            }
        }
        return changes;
    }

    private static String text(Optional<String> expression) {
        return expression.map(value -> "(" + value + ")").orElse("none");
    }
}
