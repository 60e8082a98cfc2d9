package dev.shardman.planner.render;

import dev.shardman.planner.Plan;
import dev.shardman.templates.Templates;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a plan as the text a reviewer reads (terraform-like: {@code +} create, {@code -} destroy,
 * {@code ~} change, {@code →} move, grouped by object, a closing summary line) through
 * {@code templates/text/plan.txt.ftl}. Colour (ANSI) only when the caller asks: the CLI decides from
 * the terminal, {@code --no-color} and {@code NO_COLOR}.
 */
public final class TextPlanRenderer {
    static final String TEMPLATE = "text/plan.txt.ftl";
    private static final Map<String, String> ANSI = Map.of(
            "create", "\u001b[32m",
            "update", "\u001b[33m",
            "move", "\u001b[36m",
            "destroy", "\u001b[31m");
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";

    private TextPlanRenderer() {
    }

    public static String render(Plan plan, boolean color) {
        return render(PlanView.from(plan), color);
    }

    public static String render(PlanView view, boolean color) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("plan", view);
        Map<String, String> colors = new LinkedHashMap<>();
        ANSI.forEach((action, code) -> colors.put(action, color ? code : ""));
        model.put("colors", colors);
        model.put("reset", color ? RESET : "");
        model.put("bold", color ? BOLD : "");
        return Templates.shared().render(TEMPLATE, model);
    }
}
