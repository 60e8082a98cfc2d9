package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Records a table's new redundancy; the replicas themselves come and go in {@link CreateReplica} and {@link DropReplica}. */
public record ChangeRedundancy(String table, int from, int to) implements Step {
    public ChangeRedundancy {
        requireNonNull(table, "table is null");
        if (from == to || from < 0 || to < 0) {
            throw new IllegalArgumentException("bad redundancy change of " + table + ": " + from + " → " + to);
        }
    }

    @Override
    public StepId id() {
        return StepId.of("change-redundancy", table);
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
    public List<String> nodes() {
        return List.of();
    }

    @Override
    public String describe() {
        return "redundancy of " + table + " will change from " + from + " to " + to;
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.changeTable(table, current -> current.withRedundancy(to));
    }
}
