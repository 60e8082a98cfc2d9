package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Makes another node the master of a shared table: block writes on the old master, wait until the
 * new one has caught up, then reverse the replication and repoint the redirecting views.
 */
public record ChangeSharedMaster(String table, String from, String to, List<String> nodes) implements Step {
    public ChangeSharedMaster {
        requireNonNull(table, "table is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("change-shared-master", table);
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
        return "master of shared table " + table + " will change from " + from + " to " + to;
    }

    @Override
    public DataMovement dataMovement() {
        return DataMovement.SHARED_MASTER_CHANGE;
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.requireLiveNode(to);
        state.changeTable(table, current -> current.withMaster(to));
    }
}
