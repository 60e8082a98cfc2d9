package dev.shardman.applier.objects;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compares type names and default expressions written in cluster.yaml with what the catalog prints
 * ({@code format_type}, {@code pg_get_expr}) without asking the server: common aliases are mapped
 * to PostgreSQL's canonical names ({@code int8} and {@code bigint}, {@code varchar(20)} and
 * {@code character varying(20)}), and casts that PostgreSQL adds to literals ({@code ''::text}) are
 * ignored; outside string literals, case does not count, nor white space except between two words. Plan refuses a default
 * whose catalog spelling still differs under these rules ({@link NodeDefaultCheck}), so applied defaults converge.
 */
final class SqlText {
    private static final Map<String, String> TYPE_ALIASES = Map.ofEntries(
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("int2", "smallint"),
            Map.entry("int8", "bigint"), Map.entry("bool", "boolean"), Map.entry("float8", "double precision"),
            Map.entry("float4", "real"), Map.entry("float", "double precision"), Map.entry("decimal", "numeric"),
            Map.entry("varchar", "character varying"), Map.entry("char", "character"), Map.entry("bpchar", "character"),
            Map.entry("timestamptz", "timestamp with time zone"), Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timetz", "time with time zone"), Map.entry("time", "time without time zone"),
            Map.entry("varbit", "bit varying"));
    private static final Pattern TYPE_WITH_MODIFIER = Pattern.compile("^([a-z0-9_ ]+?)\\s*(\\(.*\\))?(\\[\\])?$");
    private static final Pattern LITERAL_CAST = Pattern.compile("('(?:[^']|'')*')::[a-z_ ]+(?:\\(\\d+(?:,\\d+)?\\))?(?:\\[\\])?");

    private SqlText() {
    }

    static boolean sameType(String left, String right) {
        return canonicalType(left).equals(canonicalType(right));
    }

    static boolean sameDefault(Optional<String> left, Optional<String> right) {
        return left.map(SqlText::canonicalDefault).equals(right.map(SqlText::canonicalDefault));
    }

    static String canonicalType(String type) {
        String lower = type.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        var matcher = TYPE_WITH_MODIFIER.matcher(lower);
        if (!matcher.matches()) {
            return lower;
        }
        String base = TYPE_ALIASES.getOrDefault(matcher.group(1), matcher.group(1));
        String modifier = matcher.group(2) == null ? "" : matcher.group(2).replace(" ", "");
        String array = matcher.group(3) == null ? "" : "[]";
        if (base.startsWith("timestamp ") || base.startsWith("time ")) {
            return base.replaceFirst(" ", modifier + " ") + array;
        }
        return base + modifier + array;
    }

    static String canonicalDefault(String expression) {
        String text = expression.strip();
        while (text.startsWith("(") && text.endsWith(")") && balanced(text.substring(1, text.length() - 1))) {
            text = text.substring(1, text.length() - 1).strip();
        }
        return lowerCaseOutsideLiterals(LITERAL_CAST.matcher(text).replaceAll("$1"));
    }

    /**
     * Keywords and function names compare case-insensitively, string literals exactly; outside literals white
     * space counts only between two word characters, so {@code 1+1} matches the catalog's {@code (1 + 1)}.
     */
    private static String lowerCaseOutsideLiterals(String text) {
        StringBuilder result = new StringBuilder();
        boolean inLiteral = false;
        boolean pendingSpace = false;
        for (char character : text.toCharArray()) {
            if (!inLiteral && Character.isWhitespace(character)) {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && isWordCharacter(character) && !result.isEmpty() && isWordCharacter(result.charAt(result.length() - 1))) {
                result.append(' ');
            }
            pendingSpace = false;
            if (character == '\'') {
                inLiteral = !inLiteral;
            }
            result.append(inLiteral ? character : Character.toLowerCase(character));
        }
        return result.toString();
    }

    private static boolean isWordCharacter(char character) {
        return Character.isLetterOrDigit(character) || character == '_' || character == '$';
    }

    private static boolean balanced(String text) {
        int depth = 0;
        for (char character : text.toCharArray()) {
            depth += character == '(' ? 1 : character == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
