package dev.shardman.cli.render;

import dev.shardman.applier.execute.PendingRecovery;
import dev.shardman.planner.Plan;
import dev.shardman.planner.render.TextPlanRenderer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan with what an interrupted run left, as plan and apply show it: a section "Interrupted work to finish first"
 * (one line per item, in the order apply does them, after the confirmation and before the steps), then the plan's text;
 * in JSON the additive top-level field {@code interrupted_work}: {@code [{"kind", "description"}]}.
 */
public final class InterruptedWorkView {
    static final String HEADING = "Interrupted work to finish first (apply does it after the confirmation, before the steps):";

    private InterruptedWorkView() {
    }

    public static String text(Plan plan, PendingRecovery pending, boolean color) {
        if (pending.items().isEmpty()) {
            return TextPlanRenderer.render(plan, color);
        }
        StringBuilder text = new StringBuilder(HEADING).append('\n');
        pending.items().forEach(item -> text.append("  ").append(item.description()).append('\n'));
        text.append('\n');
        if (!plan.isEmpty()) {
            return text.append(TextPlanRenderer.render(plan, color)).toString();
        }
        text.append("No steps after it: the cluster then matches the spec.\n");
        plan.warnings().forEach(warning -> text.append("\nWarning: ").append(warning).append(".\n"));
        return text.toString();
    }

    /** The top-level fields the JSON plan gets from {@code pending}. */
    public static Map<String, Object> json(PendingRecovery pending) {
        List<Map<String, Object>> items = pending.items().stream().map(item -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("kind", item.kind().text());
            fields.put("description", item.description());
            return fields;
        }).toList();
        return Map.of("interrupted_work", items);
    }
}
