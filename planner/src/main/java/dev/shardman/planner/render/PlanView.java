package dev.shardman.planner.render;

import dev.shardman.planner.Plan;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.Action;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepId;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The display model of a plan, shared by the text template and the JSON writer: flat, ordered and
 * ready to lay out (no business rules left for the template).
 *
 * @param groups one per object: nodes, then tables, then replication groups, each kind in the order
 *        its objects are first touched; lines in execution order
 * @param steps every step in execution order
 * @param warnings the plan's warnings (see {@link Plan#warnings()})
 */
public record PlanView(String cluster, String lineage, long serial, List<Group> groups, List<StepLine> steps, Summary summary,
        List<String> warnings) {
    public PlanView {
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        requireNonNull(cluster, "cluster is null");
        requireNonNull(lineage, "lineage is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(summary, "summary is null");
    }

    /** The steps that touch one object. */
    public record Group(String subject, List<StepLine> lines) {
        public Group {
            requireNonNull(subject, "subject is null");
            lines = List.copyOf(requireNonNull(lines, "lines is null"));
        }
    }

    /** One step as displayed. {@code action} is the JSON word (create, update, move, destroy). */
    public record StepLine(
            String id,
            String action,
            String symbol,
            String kind,
            String subject,
            String description,
            List<String> dependsOn,
            boolean dataLoss,
            List<String> objects,
            List<String> nodes) {
        public StepLine {
            requireNonNull(id, "id is null");
            requireNonNull(action, "action is null");
            requireNonNull(symbol, "symbol is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(subject, "subject is null");
            requireNonNull(description, "description is null");
            dependsOn = List.copyOf(requireNonNull(dependsOn, "dependsOn is null"));
            objects = List.copyOf(requireNonNull(objects, "objects is null"));
            nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        }
    }

    /** How many steps of each action; {@code closingLine} is the plan text's last line. */
    public record Summary(int create, int update, int move, int destroy) {
        public String closingLine() {
            if (create + update + move + destroy == 0) {
                return "No changes. The cluster matches the spec.";
            }
            return "Plan: " + create + " to create, " + update + " to change, " + move + " to move, " + destroy + " to destroy.";
        }
    }

    /** Groups are shown nodes first, then tables, then replication channels; each kind in first-touched order. */
    private static final List<String> SUBJECT_ORDER = List.of("node ", "table ", "replication group ");

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public static PlanView from(Plan plan) {
        Map<String, List<StepLine>> bySubject = new LinkedHashMap<>();
        List<StepLine> lines = new ArrayList<>(plan.steps().size());
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        for (PlannedStep planned : plan.steps()) {
            Step step = planned.step();
            StepLine line = new StepLine(step.id().value(), step.action().jsonName(), step.action().symbol(), step.kind(), step.subject(),
                    step.describe(), planned.dependsOn().stream().map(StepId::value).toList(), step.dataLoss(), step.objects(), step.nodes());
            lines.add(line);
            bySubject.computeIfAbsent(step.subject(), subject -> new ArrayList<>()).add(line);
            counts.merge(step.action(), 1, Integer::sum);
        }
        List<Group> groups = new ArrayList<>();
        for (String prefix : SUBJECT_ORDER) {
            bySubject.forEach((subject, groupLines) -> {
                if (subject.startsWith(prefix)) {
                    groups.add(new Group(subject, groupLines));
                }
            });
        }
        bySubject.forEach((subject, groupLines) -> {
            if (SUBJECT_ORDER.stream().noneMatch(subject::startsWith)) {
                groups.add(new Group(subject, groupLines));
            }
        });
        Summary summary = new Summary(counts.getOrDefault(Action.CREATE, 0), counts.getOrDefault(Action.UPDATE, 0),
                counts.getOrDefault(Action.MOVE, 0), counts.getOrDefault(Action.DELETE, 0));
        return new PlanView(plan.header().cluster(), plan.header().lineage(), plan.header().serial(), groups, lines, summary, plan.warnings());
    }
}
