package dev.shardman.model.state;

import java.util.regex.Pattern;

/** Checks that a libpq conninfo carries no literal password (references such as {@code ${env:PW}} are fine). */
public final class Conninfos {
    private static final Pattern KEYWORD_PASSWORD = Pattern.compile("(?:^|\\s)password\\s*=\\s*(?!\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}(?:\\s|$))\\S");
    private static final Pattern URI_PASSWORD = Pattern.compile("^postgres(?:ql)?://[^/@:]*:(?!\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}@)[^@/]+@");
    private static final Pattern URI_PARAMETER_PASSWORD = Pattern.compile("^postgres(?:ql)?://.*[?&]password=(?!\\$\\{env:)");

    private Conninfos() {
    }

    public static boolean containsLiteralPassword(String conninfo) {
        return KEYWORD_PASSWORD.matcher(conninfo).find()
                || URI_PASSWORD.matcher(conninfo).find()
                || URI_PARAMETER_PASSWORD.matcher(conninfo).find();
    }
}
