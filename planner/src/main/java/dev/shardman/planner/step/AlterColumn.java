package dev.shardman.planner.step;

import dev.shardman.model.state.ColumnState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Changes a column's type, default or nullability on one phase of a table's copies (subscribers before publishers). */
public record AlterColumn(String table, ColumnState from, ColumnState to, ColumnPhase phase, List<String> nodes) implements Step {
    public AlterColumn {
        requireNonNull(table, "table is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(phase, "phase is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("alter-column", table + "." + to.name() + ":" + phase.word());
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
        List<String> changes = new ArrayList<>();
        if (!from.type().equals(to.type())) {
            changes.add("type " + from.type() + " → " + to.type());
        }
        if (!from.defaultExpression().equals(to.defaultExpression())) {
            changes.add("default " + from.defaultExpression().orElse("none") + " → " + to.defaultExpression().orElse("none"));
        }
        if (from.nullable() != to.nullable()) {
            changes.add(to.nullable() ? "null allowed" : "not null");
        }
        return "column " + table + "." + to.name() + " will change on " + phase.word() + ": " + String.join(", ", changes);
    }

    @Override
    public Optional<ColumnChange> columnChange() {
        return Optional.of(new ColumnChange(table, to.name(), ColumnChange.Effect.ALTER, phase));
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.putColumn(table, to);
    }
}
