package dev.shardman.planner.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.planner.Plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a plan as JSON, format version 1: {@code {"format_version": "1", "cluster", "lineage",
 * "serial", "summary": {create, update, move, destroy}, "steps": [{id, action, kind, description,
 * depends_on, data_loss, subject, objects, nodes}], "warnings": [...]}}, steps in execution order; "warnings"
 * (sentences) only when the plan has some. Keys keep this order.
 */
public final class JsonPlanWriter {
    public static final String FORMAT_VERSION = "1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonPlanWriter() {
    }

    public static String write(Plan plan) {
        return write(PlanView.from(plan));
    }

    /** As {@link #write(Plan)}, with {@code additions} as further top-level keys after the plan's own (additive: version 1 holds). */
    public static String write(Plan plan, Map<String, Object> additions) {
        return write(PlanView.from(plan), additions);
    }

    public static String write(PlanView view) {
        return write(view, Map.of());
    }

    private static String write(PlanView view, Map<String, Object> additions) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", FORMAT_VERSION);
        root.put("cluster", view.cluster());
        root.put("lineage", view.lineage());
        root.put("serial", view.serial());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("create", view.summary().create());
        summary.put("update", view.summary().update());
        summary.put("move", view.summary().move());
        summary.put("destroy", view.summary().destroy());
        root.put("summary", summary);
        List<Map<String, Object>> steps = view.steps().stream().map(JsonPlanWriter::step).toList();
        root.put("steps", steps);
        if (!view.warnings().isEmpty()) {
            root.put("warnings", view.warnings());
        }
        root.putAll(additions);
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException exception) {
            throw new ShardmanException(ErrorCode.INTERNAL, "cannot write the plan as JSON", exception.getMessage(), exception);
        }
    }

    private static Map<String, Object> step(PlanView.StepLine line) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("id", line.id());
        step.put("action", line.action());
        step.put("kind", line.kind());
        step.put("description", line.description());
        step.put("depends_on", line.dependsOn());
        step.put("data_loss", line.dataLoss());
        step.put("subject", line.subject());
        step.put("objects", line.objects());
        step.put("nodes", line.nodes());
        return step;
    }
}
