package dev.shardman.planner.step;

import dev.shardman.model.state.IndexState;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Drops a secondary index on every local partition and replica of a table (or every copy of a shared table). */
public record DropIndex(String table, IndexState index, List<String> nodes) implements Step {
    public DropIndex {
        requireNonNull(table, "table is null");
        requireNonNull(index, "index is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("drop-index", table + "." + index.name());
    }

    @Override
    public Action action() {
        return Action.DELETE;
    }

    @Override
    public String subject() {
        return "table " + table;
    }

    @Override
    public String describe() {
        return (index.unique() ? "unique index " : "index ") + index.name() + " on " + table + " (" + String.join(", ", index.columns()) + ") will be dropped";
    }

    @Override
    public Optional<IndexChange> indexChange() {
        return Optional.of(new IndexChange(table, false, true));
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.removeIndex(table, index.name());
    }
}
