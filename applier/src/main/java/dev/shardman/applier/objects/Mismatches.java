package dev.shardman.applier.objects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** Explains why an observed object differs from the expected one with the same key, and what fixes it. */
final class Mismatches {
    private Mismatches() {
    }

    static boolean dropLosesData(NodeObject observed) {
        return observed instanceof LocalPartition || observed instanceof ParentTable || observed instanceof SharedData;
    }

    /** The change that turns {@code observed} into {@code expected}; empty when they differ only in spelling. */
    static Optional<ObjectChange> compare(NodeObject expected, NodeObject observed, NodeObjects context) {
        if (expected instanceof ForeignServer server && observed instanceof ForeignServer actual) {
            return change(ChangeAction.ALTER, expected, observed, optionReasons(server, actual), false);
        }
        if (expected instanceof UserMapping mapping && observed instanceof UserMapping actual) {
            return change(ChangeAction.REPLACE, expected, observed, mappingReasons(mapping, actual), false);
        }
        if (expected instanceof ParentTable parent && observed instanceof ParentTable actual) {
            return parentChange(parent, actual);
        }
        if (expected instanceof LocalPartition partition && observed instanceof LocalPartition actual) {
            return change(ChangeAction.ALTER, expected, observed,
                    List.of("local partition " + partition.table() + " is " + slotText(actual.slot()) + ", expected " + slotText(partition.slot())), false);
        }
        if (expected instanceof ForeignPartition partition && observed instanceof ForeignPartition actual) {
            return change(ChangeAction.REPLACE, expected, observed, foreignReasons(partition, actual, context), false);
        }
        if (expected instanceof ReplicaTable replica && observed instanceof ReplicaTable actual) {
            return change(ChangeAction.ALTER, expected, observed, ColumnChange.between(asParent(replica.table(), replica.columns()),
                    asParent(actual.table(), actual.columns())).stream().map(ColumnChange::reason).toList(), false);
        }
        if (expected instanceof SharedData data && observed instanceof SharedData actual) {
            List<ColumnChange> columnChanges = ColumnChange.between(new ParentTable(data.table(), data.columns(), ParentTable.NOT_HASH_PARTITIONED),
                    new ParentTable(actual.table(), actual.columns(), ParentTable.NOT_HASH_PARTITIONED));
            // ALTER, never re-created: the copies keep their rows (and their subscription goes on) through a column change
            boolean dropsColumn = columnChanges.stream().anyMatch(change -> change.operation() == ColumnChange.Operation.DROP_COLUMN);
            return change(ChangeAction.ALTER, expected, observed, columnChanges.stream().map(ColumnChange::reason).toList(), dropsColumn);
        }
        if (expected instanceof SharedView view && observed instanceof SharedView actual
                && view.masterServer().equals(actual.masterServer()) && view.writesAsOwner() == actual.writesAsOwner()) {
            return change(ChangeAction.REPLACE, expected, observed, sharedViewReasons(view, actual), false);
        }
        if (expected instanceof PartitionGrant grant && observed instanceof PartitionGrant actual) {
            return change(ChangeAction.REPLACE, expected, observed, grantReasons(grant, actual), false);
        }
        return change(ChangeAction.REPLACE, expected, observed,
                List.of(observed.describe() + ", expected " + expected.describe()), false);
    }

    private static Optional<ObjectChange> change(ChangeAction action, NodeObject expected, NodeObject observed, List<String> reasons, boolean losesData) {
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ObjectChange(action, expected.key(), Optional.of(expected), Optional.of(observed), String.join("; ", reasons), losesData));
    }

    private static List<String> optionReasons(ForeignServer expected, ForeignServer observed) {
        TreeSet<String> names = new TreeSet<>(expected.options().keySet());
        names.addAll(observed.options().keySet());
        List<String> reasons = new ArrayList<>();
        for (String name : names) {
            String want = expected.options().get(name);
            String have = observed.options().get(name);
            if (!Objects.equals(want, have)) {
                reasons.add("foreign server " + expected.name() + " has " + name + " " + (have == null ? "unset" : "'" + have + "'")
                        + ", expected " + (want == null ? "unset" : "'" + want + "'"));
            }
        }
        return reasons;
    }

    private static List<String> grantReasons(PartitionGrant expected, PartitionGrant observed) {
        List<String> reasons = new ArrayList<>();
        if (!observed.missingFrom(expected).isEmpty()) {
            reasons.add("role " + expected.role() + " lacks " + String.join(", ", observed.missingFrom(expected)) + " on " + expected.table());
        }
        TreeSet<String> extra = new TreeSet<>(observed.tablePrivileges());
        extra.removeAll(expected.privileges());
        if (!extra.isEmpty()) {
            reasons.add("role " + expected.role() + " has " + String.join(", ", extra) + " on " + expected.table() + ", not expected");
        }
        return reasons;
    }

    private static List<String> mappingReasons(UserMapping expected, UserMapping observed) {
        List<String> reasons = new ArrayList<>();
        if (!expected.remoteUser().equals(observed.remoteUser())) {
            reasons.add("user mapping for " + expected.localRole() + " on " + expected.server() + " connects as "
                    + observed.remoteUser().orElse("(default user)") + ", expected " + expected.remoteUser().orElse("(default user)"));
        }
        if (expected.hasPassword() != observed.hasPassword()) {
            reasons.add("user mapping for " + expected.localRole() + " on " + expected.server()
                    + (observed.hasPassword() ? " has a password, expected none" : " has no password, expected one"));
        } else if (stalePassword(expected, observed)) {
            reasons.add("user mapping for " + expected.localRole() + " on " + expected.server()
                    + " has a stale password (not the one its conninfo resolves to now)");
        }
        return reasons;
    }

    /** Both have a password, and the node's is not the one the conninfo resolves to now (compared by salted digest). */
    static boolean stalePassword(UserMapping expected, UserMapping observed) {
        return expected.passwordDigest().isPresent() && observed.passwordDigest().isPresent()
                && !expected.passwordDigest().equals(observed.passwordDigest());
    }

    private static List<String> sharedViewReasons(SharedView expected, SharedView observed) {
        List<String> reasons = new ArrayList<>();
        if (!sameNamesAndTypes(expected.columns(), observed.columns())) {
            reasons.add("shared table view " + expected.view() + " has columns " + namesAndTypes(observed.columns())
                    + ", expected " + namesAndTypes(expected.columns()));
        }
        if (!sameNamesAndTypes(expected.foreignColumns(), observed.foreignColumns())) {
            reasons.add("foreign table " + expected.foreignTable() + " has columns " + namesAndTypes(observed.foreignColumns())
                    + ", expected " + namesAndTypes(expected.foreignColumns()));
        }
        if (!observed.foreignColumnOptions().isEmpty()) {
            reasons.add("foreign table " + expected.foreignTable() + " has column options " + observed.foreignColumnOptions() + ", expected none");
        }
        return reasons;
    }

    private static boolean sameNamesAndTypes(List<Column> expected, List<Column> observed) {
        if (expected.size() != observed.size()) {
            return false;
        }
        for (int index = 0; index < expected.size(); index++) {
            if (!expected.get(index).name().equals(observed.get(index).name())
                    || !SqlText.sameType(expected.get(index).type(), observed.get(index).type())) {
                return false;
            }
        }
        return true;
    }

    private static String namesAndTypes(List<Column> columns) {
        return columns.stream().map(column -> column.name() + " " + column.type()).toList().toString();
    }

    private static List<String> foreignReasons(ForeignPartition expected, ForeignPartition observed, NodeObjects context) {
        List<String> reasons = new ArrayList<>();
        if (!expected.server().equals(observed.server())) {
            reasons.add("foreign table " + expected.table().name() + " points at " + context.serverLabel(observed.server())
                    + ", expected " + context.serverLabel(expected.server()));
        }
        if (!expected.remoteSchema().equals(observed.remoteSchema()) || !expected.remoteTable().equals(observed.remoteTable())) {
            reasons.add("foreign table " + expected.table().name() + " reads " + observed.remoteSchema() + "." + observed.remoteTable()
                    + ", expected " + expected.remoteSchema() + "." + expected.remoteTable());
        }
        if (!expected.slot().equals(observed.slot())) {
            reasons.add("foreign table " + expected.table().name() + " is " + slotText(observed.slot()) + ", expected " + slotText(expected.slot()));
        }
        if (!observed.columnOptions().isEmpty()) {
            reasons.add("foreign table " + expected.table().name() + " has column options " + observed.columnOptions() + ", expected none");
        }
        return reasons;
    }

    private static String slotText(Optional<PartitionSlot> slot) {
        return slot.map(value -> "attached as " + value).orElse("not attached");
    }

    private static Optional<ObjectChange> parentChange(ParentTable expected, ParentTable observed) {
        if (!expected.hashKey().equals(observed.hashKey())) {
            return change(ChangeAction.REPLACE, expected, observed, List.of("table " + expected.table() + " is partitioned by "
                    + observed.hashKey() + ", expected hash (" + expected.hashKey() + ")"), true);
        }
        List<ColumnChange> columnChanges = ColumnChange.between(expected, observed);
        boolean dropsColumn = columnChanges.stream().anyMatch(change -> change.operation() == ColumnChange.Operation.DROP_COLUMN);
        return change(ChangeAction.ALTER, expected, observed, columnChanges.stream().map(ColumnChange::reason).toList(), dropsColumn);
    }

    private static ParentTable asParent(TableName table, List<Column> columns) {
        return new ParentTable(table, columns, ParentTable.NOT_HASH_PARTITIONED);
    }

    static Map<String, Column> byName(List<Column> columns) {
        Map<String, Column> result = new LinkedHashMap<>();
        columns.forEach(column -> result.put(column.name(), column));
        return result;
    }
}
