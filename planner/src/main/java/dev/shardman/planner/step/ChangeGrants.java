package dev.shardman.planner.step;

import dev.shardman.model.spec.Grants;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * A table's {@code grants} (role → privileges) change from {@code from} to {@code to}: granted and
 * revoked on every working node, on the parent or the shared table's view (the reconciler derives
 * the objects from the table's grants).
 */
public record ChangeGrants(String table, Map<String, List<String>> from, Map<String, List<String>> to, List<String> nodes) implements Step {
    public ChangeGrants {
        requireNonNull(table, "table is null");
        from = Grants.sorted(from);
        to = Grants.sorted(to);
        nodes = StepKinds.sorted(requireNonNull(nodes, "nodes is null"));
        if (from.equals(to)) {
            throw new IllegalArgumentException("grants of " + table + " do not change");
        }
    }

    @Override
    public StepId id() {
        return StepId.of("change-grants", table);
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
        return "grants on " + table + " will change: " + String.join("; ", changes()) + " on " + StepKinds.nodeList(nodes);
    }

    /** {@code app +INSERT, +UPDATE}, {@code report -DELETE}, one entry per role whose privileges change, by role. */
    private List<String> changes() {
        TreeSet<String> roles = new TreeSet<>(from.keySet());
        roles.addAll(to.keySet());
        List<String> result = new ArrayList<>();
        for (String role : roles) {
            List<String> had = from.getOrDefault(role, List.of());
            List<String> has = to.getOrDefault(role, List.of());
            List<String> parts = new ArrayList<>();
            has.stream().filter(privilege -> !had.contains(privilege)).forEach(privilege -> parts.add("+" + privilege));
            had.stream().filter(privilege -> !has.contains(privilege)).forEach(privilege -> parts.add("-" + privilege));
            if (!parts.isEmpty()) {
                result.add(role + " " + String.join(", ", parts));
            }
        }
        return result;
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.changeTable(table, current -> current.withGrants(to));
    }
}
