package dev.shardman.planner.step;

import dev.shardman.model.state.TableState;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Creates a shared table: the table on its master, a subscribed copy, foreign table and redirecting view on every other node. */
public record CreateSharedTable(TableState table, List<String> nodes) implements Step {
    public CreateSharedTable {
        requireNonNull(table, "table is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
        if (table.master().isEmpty()) {
            throw new IllegalArgumentException("shared table " + table.name() + " has no master");
        }
    }

    @Override
    public StepId id() {
        return StepId.of("create-shared-table", table.name());
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
        return "shared table " + table.schema() + "." + table.name() + " will be created with master " + table.master().orElseThrow();
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.addTable(table);
    }
}
