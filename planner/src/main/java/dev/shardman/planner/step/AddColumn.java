package dev.shardman.planner.step;

import dev.shardman.model.state.ColumnState;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Adds a column to one phase of a table's copies (subscribers before publishers). */
public record AddColumn(String table, ColumnState column, ColumnPhase phase, List<String> nodes) implements Step {
    public AddColumn {
        requireNonNull(table, "table is null");
        requireNonNull(column, "column is null");
        requireNonNull(phase, "phase is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("add-column", table + "." + column.name() + ":" + phase.word());
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
        return "column " + table + "." + column.name() + " " + column.type() + (column.nullable() ? "" : " not null")
                + column.defaultExpression().map(expression -> " default " + expression).orElse("") + " will be added on " + phase.word();
    }

    @Override
    public Optional<ColumnChange> columnChange() {
        return Optional.of(new ColumnChange(table, column.name(), ColumnChange.Effect.ADD, phase));
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.putColumn(table, column);
    }
}
