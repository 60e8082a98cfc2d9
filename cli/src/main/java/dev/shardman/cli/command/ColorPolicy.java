package dev.shardman.cli.command;

import java.util.Map;

/**
 * Whether output may carry ANSI colour: only on a terminal, never with {@code --no-color} or a
 * non-empty {@code NO_COLOR} environment variable (https://no-color.org).
 */
public record ColorPolicy(boolean terminal, boolean noColorVariable) {

    public static ColorPolicy fromEnvironment() {
        return of(System.console() != null, System.getenv());
    }

    static ColorPolicy of(boolean terminal, Map<String, String> environment) {
        String noColor = environment.get("NO_COLOR");
        return new ColorPolicy(terminal, noColor != null && !noColor.isEmpty());
    }

    public boolean helpMayUseColor() {
        return terminal && !noColorVariable;
    }

    public boolean useColor(boolean noColorFlag) {
        return helpMayUseColor() && !noColorFlag;
    }
}
