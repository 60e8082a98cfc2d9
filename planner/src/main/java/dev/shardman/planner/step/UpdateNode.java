package dev.shardman.planner.step;

import dev.shardman.model.conninfo.Conninfo;
import dev.shardman.model.state.NodeState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

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

    /**
     * Names what changes, down to the conninfo keywords (e.g. {@code super_conninfo (port, sslmode)}), never their
     * values (they may hold passwords or references to them).
     */
    @Override
    public String describe() {
        List<String> changes = new ArrayList<>();
        if (!from.superConninfo().equals(to.superConninfo())) {
            changes.add("super_conninfo (" + changedKeywords(Optional.of(from.superConninfo()), Optional.of(to.superConninfo())) + ")");
        }
        if (!from.conninfo().equals(to.conninfo())) {
            changes.add("conninfo (" + changedKeywords(from.conninfo(), to.conninfo()) + ")");
        }
        if (!from.replicationGroup().equals(to.replicationGroup())) {
            changes.add("replication group " + from.replicationGroup() + " → " + to.replicationGroup());
        }
        return to.name() + " will be updated: " + String.join(", ", changes);
    }

    private static String changedKeywords(Optional<String> before, Optional<String> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return before.isEmpty() ? "added" : "removed";
        }
        Conninfo old = Conninfo.parse(before.get());
        Conninfo now = Conninfo.parse(after.get());
        TreeSet<String> keywords = new TreeSet<>(old.keywords());
        keywords.addAll(now.keywords());
        List<String> changed = keywords.stream().filter(keyword -> !old.value(keyword).equals(now.value(keyword))).toList();
        return changed.isEmpty() ? "rewritten" : String.join(", ", changed);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.updateNode(to);
    }
}
