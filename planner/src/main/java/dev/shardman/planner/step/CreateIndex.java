package dev.shardman.planner.step;

import dev.shardman.model.state.IndexState;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Creates a secondary index on every local partition and replica of a table (or every copy of a shared table). */
public record CreateIndex(String table, IndexState index, List<String> nodes) implements Step {
    public CreateIndex {
        requireNonNull(table, "table is null");
        requireNonNull(index, "index is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("create-index", table + "." + index.name());
    }

    @Override
    public Action action() {
        return Action.CREATE;
    }

    @Override
    public String subject() {
        return "table " + table;
    }

    @Override
    public String describe() {
        return (index.unique() ? "unique index " : "index ") + index.name() + " on " + table + " (" + String.join(", ", index.columns()) + ") will be created";
    }

    @Override
    public Optional<IndexChange> indexChange() {
        return Optional.of(new IndexChange(table, true, false));
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.putIndex(table, index);
    }
}
