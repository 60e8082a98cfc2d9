package dev.shardman.planner.step;

import dev.shardman.model.state.NodeState;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Changes a node's connection settings or (for a node holding no data) its replication group. */
public record UpdateNode(NodeState from, NodeState to) implements Step {
    public UpdateNode {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (!from.name().equals(to.name())) {
            throw new IllegalArgumentException("UpdateNode cannot rename " + from.name());
        }
    }

    @Override
    public StepId id() {
        return StepId.of("update-node", to.name());
    }

    @Override
    public Action action() {
        return Action.UPDATE;
    }

    @Override
    public String subject() {
        return "node " + to.name();
    }

    @Override
    public List<String> nodes() {
        return List.of(to.name());
    }

    /** Names what changes, never the conninfo values (they may hold password references). */
    @Override
    public String describe() {
        List<String> changes = new ArrayList<>();
        if (!from.superConninfo().equals(to.superConninfo())) {
            changes.add("super_conninfo");
        }
        if (!from.conninfo().equals(to.conninfo())) {
            changes.add("conninfo");
        }
        if (!from.replicationGroup().equals(to.replicationGroup())) {
            changes.add("replication group " + from.replicationGroup() + " → " + to.replicationGroup());
        }
        return to.name() + " will be updated: " + String.join(", ", changes);
    }

    @Override
    public <R> R accept(StepVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
