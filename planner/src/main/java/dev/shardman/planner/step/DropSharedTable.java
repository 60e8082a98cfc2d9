package dev.shardman.planner.step;

import dev.shardman.model.state.TableState;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Drops a shared table on every node. Destructive: refused unless {@code --allow-destroy}. */
public record DropSharedTable(TableState table, List<String> nodes) implements Step {
    public DropSharedTable {
        requireNonNull(table, "table is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("drop-shared-table", table.name());
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
        return "shared table " + table.schema() + "." + table.name() + " will be destroyed (data loss)";
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
    public void applyTo(ProjectedState state) {
        state.dropTable(table.name());
    }
}
