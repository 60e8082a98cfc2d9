package dev.shardman.planner.step;

import dev.shardman.model.state.TableState;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Drops a sharded table with all its partitions and replicas. Destructive: refused unless {@code --allow-destroy}. */
public record DropShardedTable(TableState table, List<String> nodes) implements Step {
    public DropShardedTable {
        requireNonNull(table, "table is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("drop-sharded-table", table.name());
    }

    @Override
    public Action action() {
        return Action.DELETE;
    }

    @Override
    public String subject() {
        return "table " + table.name();
    }

    @Override
    public String describe() {
        return "sharded table " + table.schema() + "." + table.name() + " will be destroyed with its " + table.partitions() + " partitions (data loss)";
    }

    @Override
    public boolean dataLoss() {
        return true;
    }

    @Override
    public Optional<Permission> requiredPermission() {
        return Optional.of(Permission.ALLOW_DESTROY);
    }

    @Override
    public Set<OrderingRole> orderingRoles() {
        return Set.of(OrderingRole.SHRINK);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.dropTable(table.name());
    }
}
