package dev.shardman.planner.step;

import dev.shardman.model.state.ColumnState;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Drops a column from one phase of a table's copies (publishers before subscribers). Destructive. */
public record DropColumn(String table, ColumnState column, ColumnPhase phase, List<String> nodes) implements Step {
    public DropColumn {
        requireNonNull(table, "table is null");
        requireNonNull(column, "column is null");
        requireNonNull(phase, "phase is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("drop-column", table + "." + column.name() + ":" + phase.word());
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
        return "column " + table + "." + column.name() + " will be dropped on " + phase.word() + " (data loss)";
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
    public Optional<ColumnChange> columnChange() {
        return Optional.of(new ColumnChange(table, column.name(), ColumnChange.Effect.DROP, phase));
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.removeColumn(table, column.name());
    }
}
