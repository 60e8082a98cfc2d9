package dev.shardman.planner.support;

import dev.shardman.model.SourcePosition;
import dev.shardman.model.spec.BalanceSettings;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.spec.IndexSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.spec.Positions;
import dev.shardman.model.spec.SettingsSpec;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.spec.TableType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test DSL for specs: {@code cluster().node("w1", "rg1").sharded("customers", 30, 1).build()}.
 * Sharded tables get columns {@code id bigint not null, payload text}; shared tables {@code code text not null, name text}.
 */
public final class SpecBuilder {
    private final List<NodeSpec> nodes = new ArrayList<>();
    private final Map<String, TableDraft> tables = new LinkedHashMap<>();
    private SettingsSpec settings = SettingsSpec.defaults();

    private static final class TableDraft {
        String name;
        TableType type;
        List<ColumnSpec> columns = new ArrayList<>();
        List<String> primaryKey;
        List<IndexSpec> indexes = new ArrayList<>();
        Optional<String> shardingKey = Optional.empty();
        int partitions;
        int redundancy;
        Optional<String> colocateWith = Optional.empty();
        Optional<String> master = Optional.empty();
        List<PartitionPin> placement = new ArrayList<>();
    }

    public static SpecBuilder cluster() {
        return new SpecBuilder();
    }

    public SpecBuilder settings(boolean syncReplication, long maxReplicationLagBytes) {
        settings = new SettingsSpec(syncReplication, SettingsSpec.DEFAULT_PARTITIONS, maxReplicationLagBytes, SettingsSpec.DEFAULT_NODE_TIMEOUT,
                FailoverSettings.DEFAULTS, Positions.UNKNOWN);
        return this;
    }

    /** Balances by {@code balance} (count or size) instead of the default. */
    public SpecBuilder balance(BalanceSettings balance) {
        settings = settings.withBalance(balance);
        return this;
    }

    public SpecBuilder failover(FailoverSettings failover) {
        settings = new SettingsSpec(settings.syncReplication(), settings.defaultPartitions(), settings.maxReplicationLagBytes(), settings.nodeTimeout(),
                failover, Positions.UNKNOWN);
        return this;
    }

    public SpecBuilder node(String name, String group) {
        nodes.add(new NodeSpec(name, "host=" + name + " port=5432 dbname=postgres user=postgres", Optional.empty(), group, false, Positions.UNKNOWN));
        return this;
    }

    /** Sets an existing node's weight (e.g. "2", "0.5"). */
    public SpecBuilder weight(String name, String weight) {
        nodes.replaceAll(node -> !node.name().equals(name) ? node : new NodeSpec(node.name(), node.superConninfo(), node.conninfo(),
                node.replicationGroup(), node.lost(), node.positions(), new java.math.BigDecimal(weight)));
        return this;
    }

    /** Pins partition {@code partition} of {@code table}: the primary on the first node, replicas on the others. */
    public SpecBuilder pin(String table, int partition, String... nodes) {
        List<PartitionPin> placement = tables.get(table).placement;
        placement.removeIf(pin -> pin.partition() == partition);
        placement.add(new PartitionPin(partition, List.of(nodes), new SourcePosition("cluster.yaml", 1, 1)));
        return this;
    }

    public SpecBuilder nodes(String group, String... names) {
        for (String name : names) {
            node(name, group);
        }
        return this;
    }

    public SpecBuilder lostNode(String name, String group) {
        nodes.add(new NodeSpec(name, "host=" + name + " port=5432 dbname=postgres user=postgres", Optional.empty(), group, true, Positions.UNKNOWN));
        return this;
    }

    public SpecBuilder withoutNode(String name) {
        nodes.removeIf(node -> node.name().equals(name));
        return this;
    }

    public SpecBuilder sharded(String name, int partitions, int redundancy) {
        TableDraft table = new TableDraft();
        table.name = name;
        table.type = TableType.SHARDED;
        table.columns.add(column("id", "bigint", false, null));
        table.columns.add(column("payload", "text", true, null));
        table.primaryKey = List.of("id");
        table.shardingKey = Optional.of("id");
        table.partitions = partitions;
        table.redundancy = redundancy;
        tables.put(name, table);
        return this;
    }

    public SpecBuilder colocated(String name, String anchor, int partitions, int redundancy) {
        sharded(name, partitions, redundancy);
        tables.get(name).colocateWith = Optional.of(anchor);
        return this;
    }

    public SpecBuilder shared(String name, String master) {
        TableDraft table = new TableDraft();
        table.name = name;
        table.type = TableType.SHARED;
        table.columns.add(column("code", "text", false, null));
        table.columns.add(column("name", "text", true, null));
        table.primaryKey = List.of("code");
        table.master = Optional.of(master);
        tables.put(name, table);
        return this;
    }

    public SpecBuilder redundancy(String table, int redundancy) {
        tables.get(table).redundancy = redundancy;
        return this;
    }

    public SpecBuilder master(String table, String master) {
        tables.get(table).master = Optional.of(master);
        return this;
    }

    public SpecBuilder column(String table, String name, String type, boolean nullable, String defaultExpression) {
        List<ColumnSpec> columns = tables.get(table).columns;
        columns.removeIf(column -> column.name().equals(name));
        columns.add(column(name, type, nullable, defaultExpression));
        return this;
    }

    public SpecBuilder withoutColumn(String table, String name) {
        tables.get(table).columns.removeIf(column -> column.name().equals(name));
        return this;
    }

    public SpecBuilder index(String table, String name, String... columns) {
        tables.get(table).indexes.add(new IndexSpec(name, List.of(columns), false, Positions.UNKNOWN));
        return this;
    }

    public SpecBuilder withoutTable(String name) {
        tables.remove(name);
        return this;
    }

    private static ColumnSpec column(String name, String type, boolean nullable, String defaultExpression) {
        return new ColumnSpec(name, type, nullable, Optional.ofNullable(defaultExpression), Positions.UNKNOWN);
    }

    public ClusterSpec build() {
        List<TableSpec> tableSpecs = tables.values().stream().map(table -> new TableSpec(table.name, "public", table.type, table.columns,
                table.primaryKey, table.indexes, table.shardingKey, table.partitions, table.redundancy, table.colocateWith, table.master,
                Positions.UNKNOWN, java.util.Map.of(), table.placement)).toList();
        return new ClusterSpec("cluster.yaml", "demo", "host=lord dbname=postgres", settings, nodes, tableSpecs, Positions.UNKNOWN);
    }
}
