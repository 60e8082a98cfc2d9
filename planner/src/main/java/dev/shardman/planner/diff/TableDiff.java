package dev.shardman.planner.diff;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.AlterColumn;
import dev.shardman.planner.step.ChangeGrants;
import dev.shardman.planner.step.ChangeRedundancy;
import dev.shardman.planner.step.ChangeSharedMaster;
import dev.shardman.planner.step.ColumnPhase;
import dev.shardman.planner.step.CreateIndex;
import dev.shardman.planner.step.CreateSharedTable;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.DropIndex;
import dev.shardman.planner.step.DropShardedTable;
import dev.shardman.planner.step.DropSharedTable;
import dev.shardman.planner.step.RecreateIndex;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Table steps that do not depend on placement: shared tables, drops, column and index changes,
 * redundancy changes. Also says which sharded tables stay, which are new, and the colocation root
 * (anchor) of each, for placement. Changes shardman cannot make in place (type, schema, sharding key,
 * partition count, colocation, primary key) are problems.
 */
public final class TableDiff {
    private final List<Step> steps = new ArrayList<>();
    private final List<TableState> keptSharded = new ArrayList<>();
    private final List<TableState> newSharded = new ArrayList<>();
    private final Map<String, String> rootOf = new HashMap<>();
    private final Map<String, Integer> desiredRedundancy = new HashMap<>();

    private TableDiff(ClusterSpec spec, ClusterState state, Membership membership, Problems problems) {
        Map<String, TableState> current = new LinkedHashMap<>();
        state.tables().forEach(table -> current.put(table.name(), table));
        Map<String, TableState> desired = new LinkedHashMap<>();
        spec.tables().forEach(table -> desired.put(table.name(), SpecConversion.table(table)));
        List<String> working = membership.workingNodes();

        for (TableState table : state.tables()) {
            if (!desired.containsKey(table.name())) {
                steps.add(table.isSharded() ? new DropShardedTable(table, working) : new DropSharedTable(table, working));
            }
        }
        for (TableSpec tableSpec : spec.tables()) {
            TableState want = desired.get(tableSpec.name());
            rootOf.put(want.name(), root(want.name(), desired));
            TableState have = current.get(want.name());
            if (have == null) {
                create(want, membership, problems);
            } else if (checkUnchangeable(have, want, problems)) {
                change(have, want, membership, problems);
            }
        }
        checkColocation(state, current, desired, problems);
    }

    /** A table new to the metadata: a sharded one is placed later, a shared one is created on every live node. */
    private void create(TableState want, Membership membership, Problems problems) {
        if (want.isSharded()) {
            newSharded.add(want);
        } else {
            checkMaster(want, membership, problems);
            steps.add(new CreateSharedTable(want, membership.finalLiveNodes()));
        }
    }

    /** What changes in place for a table in both: columns, indexes, grants, redundancy, a shared table's master. */
    private void change(TableState have, TableState want, Membership membership, Problems problems) {
        List<String> working = membership.workingNodes();
        diffColumns(have, want, working);
        diffIndexes(have, want, working);
        if (!have.grants().equals(want.grants())) {
            steps.add(new ChangeGrants(want.name(), have.grants(), want.grants(), working));
        }
        if (want.isSharded()) {
            keptSharded.add(have);
            if (have.redundancy() != want.redundancy()) {
                steps.add(new ChangeRedundancy(want.name(), have.redundancy(), want.redundancy()));
            }
            return;
        }
        checkMaster(want, membership, problems);
        if (!have.master().equals(want.master())) {
            steps.add(new ChangeSharedMaster(want.name(), have.master().orElseThrow(), want.master().orElseThrow(), working));
        }
    }

    /** Colocated tables share their root's partitions and redundancy, and a root is not dropped under its colocated tables. */
    private void checkColocation(ClusterState state, Map<String, TableState> current, Map<String, TableState> desired, Problems problems) {
        for (TableState table : desired.values()) {
            if (table.isSharded()) {
                String root = rootOf.get(table.name());
                TableState rootTable = desired.get(root);
                desiredRedundancy.put(root, rootTable.redundancy());
                if (table.redundancy() != rootTable.redundancy() || table.partitions() != rootTable.partitions()) {
                    problems.add("table " + table.name() + " is colocated with " + root + " and must have its partitions ("
                            + rootTable.partitions() + ") and redundancy (" + rootTable.redundancy() + ")");
                }
            }
        }
        for (TableState table : state.tables()) {
            if (table.isSharded() && desired.containsKey(table.name())) {
                String stateRoot = root(table.name(), current);
                if (!desired.containsKey(stateRoot)) {
                    problems.add("table " + stateRoot + " cannot be dropped while " + table.name() + " is colocated with it");
                }
            }
        }
    }

    public static TableDiff diff(ClusterSpec spec, ClusterState state, Membership membership, Problems problems) {
        return new TableDiff(spec, state, membership, problems);
    }

    private static String root(String table, Map<String, TableState> tables) {
        String current = table;
        for (int hops = 0; hops <= tables.size(); hops++) {
            TableState state = tables.get(current);
            if (state == null || state.colocateWith().isEmpty()) {
                return current;
            }
            current = state.colocateWith().get();
        }
        return current;
    }

    private static void checkMaster(TableState table, Membership membership, Problems problems) {
        String master = table.master().orElse("");
        if (!membership.finalLiveNodes().contains(master)) {
            problems.add("shared table " + table.name() + " needs a live master; " + master + " is lost, leaving or unknown");
        }
    }

    private static boolean checkUnchangeable(TableState have, TableState want, Problems problems) {
        List<String> changed = new ArrayList<>();
        if (have.type() != want.type()) {
            changed.add("type " + have.type().keyword() + " → " + want.type().keyword());
        }
        if (!have.schema().equals(want.schema())) {
            changed.add("schema " + have.schema() + " → " + want.schema());
        }
        if (!have.shardingKey().equals(want.shardingKey())) {
            changed.add("sharding key");
        }
        if (have.isSharded() && want.isSharded() && have.partitions() != want.partitions()) {
            changed.add("partitions " + have.partitions() + " → " + want.partitions());
        }
        if (!have.colocateWith().equals(want.colocateWith())) {
            changed.add("colocate_with");
        }
        if (!have.primaryKey().equals(want.primaryKey())) {
            changed.add("primary key");
        }
        if (!changed.isEmpty()) {
            problems.add("table " + want.name() + ": shardman cannot change " + String.join(", ", changed)
                    + " of an existing table; create a new table and copy the data");
        }
        return changed.isEmpty();
    }

    private static boolean hasSubscribers(TableState have, TableState want, List<String> working) {
        return have.isSharded() ? have.redundancy() > 0 || want.redundancy() > 0 : working.size() > 1;
    }

    private void diffColumns(TableState have, TableState want, List<String> working) {
        boolean subscribers = hasSubscribers(have, want, working);
        for (ColumnState column : have.columns()) {
            if (want.column(column.name()).isEmpty()) {
                steps.add(new DropColumn(want.name(), column, ColumnPhase.PUBLISHERS, working));
                if (subscribers) {
                    steps.add(new DropColumn(want.name(), column, ColumnPhase.SUBSCRIBERS, working));
                }
            }
        }
        for (ColumnState column : want.columns()) {
            Optional<ColumnState> existing = have.column(column.name());
            if (existing.isEmpty()) {
                if (subscribers) {
                    steps.add(new AddColumn(want.name(), column, ColumnPhase.SUBSCRIBERS, working));
                }
                steps.add(new AddColumn(want.name(), column, ColumnPhase.PUBLISHERS, working));
            } else if (!existing.get().equals(column)) {
                if (subscribers) {
                    steps.add(new AlterColumn(want.name(), existing.get(), column, ColumnPhase.SUBSCRIBERS, working));
                }
                steps.add(new AlterColumn(want.name(), existing.get(), column, ColumnPhase.PUBLISHERS, working));
            }
        }
    }

    private void diffIndexes(TableState have, TableState want, List<String> working) {
        Map<String, IndexState> wanted = new LinkedHashMap<>();
        want.indexes().forEach(index -> wanted.put(index.name(), index));
        for (IndexState index : have.indexes()) {
            IndexState target = wanted.get(index.name());
            if (target == null) {
                steps.add(new DropIndex(want.name(), index, working));
            } else if (!Objects.equals(index, target)) {
                steps.add(new RecreateIndex(want.name(), index, target, working));
            }
        }
        for (IndexState index : want.indexes()) {
            if (have.indexes().stream().noneMatch(existing -> existing.name().equals(index.name()))) {
                steps.add(new CreateIndex(want.name(), index, working));
            }
        }
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Sharded tables of the state that the spec keeps, in state order. */
    public List<TableState> keptSharded() {
        return List.copyOf(keptSharded);
    }

    /** Sharded tables of the spec that the state does not have, in spec order. */
    public List<TableState> newSharded() {
        return List.copyOf(newSharded);
    }

    /** The colocation root (anchor of anchors) of every table in the spec. */
    public String rootOf(String table) {
        return rootOf.getOrDefault(table, table);
    }

    /** The redundancy the spec asks for, by colocation root. */
    public int desiredRedundancy(String root) {
        return desiredRedundancy.getOrDefault(root, 0);
    }
}
