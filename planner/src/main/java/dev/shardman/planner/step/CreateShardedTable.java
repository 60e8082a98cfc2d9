package dev.shardman.planner.step;

import dev.shardman.model.state.TableState;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Creates a sharded table: the parent on every node, each partition on its primary holder (a foreign
 * partition elsewhere) and its replicas, as {@code placements} say (one per partition, by index).
 */
public record CreateShardedTable(TableState table, List<PartitionPlacement> placements, List<String> nodes) implements Step {
    public CreateShardedTable {
        requireNonNull(table, "table is null");
        placements = List.copyOf(requireNonNull(placements, "placements is null"));
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
        if (placements.size() != table.partitions()) {
            throw new IllegalArgumentException(table.name() + " has " + table.partitions() + " partitions but " + placements.size() + " placements");
        }
    }

    @Override
    public StepId id() {
        return StepId.of("create-sharded-table", table.name());
    }

    @Override
    public Action action() {
        return Action.CREATE;
    }

    @Override
    public String subject() {
        return "table " + table.name();
    }

    @Override
    public String describe() {
        long holders = placements.stream().map(PartitionPlacement::primary).distinct().count();
        return "sharded table " + table.schema() + "." + table.name() + " will be created: " + table.partitions() + " partitions on "
                + holders + (holders == 1 ? " node" : " nodes") + ", redundancy " + table.redundancy()
                + table.colocateWith().map(anchor -> ", colocated with " + anchor).orElse("");
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.addTable(table);
        for (PartitionPlacement placement : placements) {
            PartitionUnit unit = new PartitionUnit(List.of(table.name()), placement.index());
            state.markEmpty(unit);
            state.setPrimary(unit, null, placement.primary());
            placement.replicas().forEach(node -> state.addReplica(unit, node));
        }
    }
}
