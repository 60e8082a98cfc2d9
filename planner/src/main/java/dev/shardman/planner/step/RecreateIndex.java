package dev.shardman.planner.step;

import dev.shardman.model.state.IndexState;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Replaces an index whose definition changed (drop and create under the same name). */
public record RecreateIndex(String table, IndexState from, IndexState to, List<String> nodes) implements Step {
    public RecreateIndex {
        requireNonNull(table, "table is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("recreate-index", table + "." + to.name());
    }

    @Override
    public Action action() {
        return Action.UPDATE;
    }

    @Override
    public String subject() {
        return "table " + table;
    }

    @Override
    public String describe() {
        return "index " + to.name() + " on " + table + " will be re-created: (" + String.join(", ", from.columns()) + ")" + (from.unique() ? " unique" : "")
                + " → (" + String.join(", ", to.columns()) + ")" + (to.unique() ? " unique" : "");
    }

    @Override
    public Optional<IndexChange> indexChange() {
        return Optional.of(new IndexChange(table, true, true));
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.putIndex(table, to);
    }
}
