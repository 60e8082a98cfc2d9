package dev.shardman.planner.render;

import dev.shardman.planner.Plan;
import dev.shardman.planner.step.Action;

import java.util.List;

/**
 * Writes the plan's step graph as Graphviz DOT: one box per step labelled with its description and
 * filled by action (create green, change yellow, move blue, destroy red), boxes grouped in one cluster
 * per subject, and an edge from each step to every step that depends on it. Written by hand rather
 * than with jgrapht-io's DOTExporter, which has no clusters (see planner/pom.xml).
 */
public final class DotPlanWriter {
    private DotPlanWriter() {
    }

    public static String write(Plan plan) {
        return write(PlanView.from(plan));
    }

    public static String write(PlanView view) {
        StringBuilder dot = new StringBuilder();
        dot.append("digraph ").append(quoted("plan " + view.cluster())).append(" {\n");
        dot.append("  rankdir=LR;\n");
        dot.append("  fontname=\"Helvetica\";\n");
        dot.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        dot.append("  label=").append(quoted(view.summary().closingLine())).append(";\n");
        List<PlanView.Group> groups = view.groups();
        for (int index = 0; index < groups.size(); index++) {
            PlanView.Group group = groups.get(index);
            dot.append("  subgraph ").append(quoted("cluster_" + index)).append(" {\n");
            dot.append("    label=").append(quoted(group.subject())).append(";\n");
            for (PlanView.StepLine line : group.lines()) {
                dot.append("    ").append(quoted(line.id()))
                        .append(" [label=").append(quoted(line.symbol() + " " + line.description()))
                        .append(", fillcolor=").append(quoted(fill(actionOf(line)))).append("];\n");
            }
            dot.append("  }\n");
        }
        for (PlanView.StepLine line : view.steps()) {
            for (String before : line.dependsOn()) {
                dot.append("  ").append(quoted(before)).append(" -> ").append(quoted(line.id())).append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    /**
     * A DOT quoted string: quotes and backslashes escaped (a lone backslash would start a label escape
     * such as \N), line breaks as DOT's centred line break.
     */
    static String quoted(String text) {
        String escaped = text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "\\n");
        return "\"" + escaped + "\"";
    }

    private static Action actionOf(PlanView.StepLine line) {
        for (Action action : Action.values()) {
            if (action.jsonName().equals(line.action())) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action " + line.action());
    }

    private static String fill(Action action) {
        return switch (action) {
            case CREATE -> "#c8e6c9";
            case UPDATE -> "#fff59d";
            case MOVE -> "#bbdefb";
            case DELETE -> "#ffcdd2";
        };
    }
}
