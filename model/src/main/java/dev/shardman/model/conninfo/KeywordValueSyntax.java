package dev.shardman.model.conninfo;

import java.util.ArrayList;
import java.util.List;

/**
 * libpq's {@code keyword=value} conninfo syntax: pairs separated by whitespace, spaces allowed
 * around {@code =}, a value single-quoted when it is empty or holds spaces, and a backslash escaping
 * the next character (inside or outside quotes), as libpq's {@code conninfo_parse} does.
 */
final class KeywordValueSyntax {
    private final String text;
    private int position;

    private KeywordValueSyntax(String text) {
        this.text = text;
    }

    /** The pairs of {@code text} in order; throws a ShardmanException on a syntax error. */
    static List<ConninfoParameter> parse(String text) {
        return new KeywordValueSyntax(text).parameters();
    }

    /** {@code value} as libpq reads it back: bare when it can be, otherwise quoted and escaped. */
    static String quote(String value) {
        boolean bare = !value.isEmpty() && value.chars()
                .noneMatch(character -> Character.isWhitespace(character) || character == '\'' || character == '\\');
        if (bare) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private List<ConninfoParameter> parameters() {
        List<ConninfoParameter> parameters = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (position >= text.length()) {
                return parameters;
            }
            String keyword = keyword();
            skipWhitespace();
            if (position >= text.length() || text.charAt(position) != '=') {
                throw Conninfo.invalid("missing \"=\" after \"" + keyword + "\"",
                        "write keyword=value pairs separated by spaces, e.g. host=db1 port=5432");
            }
            position++;
            skipWhitespace();
            String value = position < text.length() && text.charAt(position) == '\''
                    ? quotedValue(keyword) : bareValue();
            parameters.add(new ConninfoParameter(keyword, value));
        }
    }

    private String keyword() {
        int start = position;
        while (position < text.length() && !Character.isWhitespace(text.charAt(position))
                && text.charAt(position) != '=') {
            position++;
        }
        return text.substring(start, position);
    }

    private String bareValue() {
        StringBuilder value = new StringBuilder();
        while (position < text.length() && !Character.isWhitespace(text.charAt(position))) {
            appendCharacter(value);
        }
        return value.toString();
    }

    private String quotedValue(String keyword) {
        position++;
        StringBuilder value = new StringBuilder();
        while (position < text.length()) {
            if (text.charAt(position) == '\'') {
                position++;
                return value.toString();
            }
            appendCharacter(value);
        }
        throw Conninfo.invalid("the quoted value of \"" + keyword + "\" is not closed",
                "end it with ' (write \\' for a quote inside the value)");
    }

    /** Appends the character at the cursor, or the one after a backslash, and moves past it. */
    private void appendCharacter(StringBuilder value) {
        if (text.charAt(position) == '\\' && position + 1 < text.length()) {
            position++;
        }
        value.append(text.charAt(position));
        position++;
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }
}
