package dev.shardman.model.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One token of a type name: an unquoted identifier (letters, digits, {@code _}, {@code $}, not starting
 * with a digit or {@code $}), a quoted identifier ({@code "My Type"}, {@code ""} for a quote inside), an
 * unsigned integer, or one of {@code . ( ) , [ ] -}. Nothing else exists in a type name. {@code start}
 * is 1-based, in characters of the value.
 */
record TypeToken(Kind kind, String text, int start) {
    enum Kind { WORD, QUOTED, NUMBER, SYMBOL }

    private static final String SYMBOLS = ".(),[]-";

    /** A value that is not a type name; the message says why and where. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message);
        }
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** Unquoted identifiers fold to lower case, as PostgreSQL folds them. */
    String lowerText() {
        return kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : text;
    }

    String describe() {
        return switch (kind) {
            case WORD -> "word \"" + text + "\"";
            case QUOTED -> "quoted name \"" + text.replace("\"", "\"\"") + "\"";
            case NUMBER -> "number " + text;
            case SYMBOL -> "'" + text + "'";
        };
    }

    static List<TypeToken> tokenize(String value) {
        List<TypeToken> tokens = new ArrayList<>();
        int position = 0;
        while (position < value.length()) {
            char character = value.charAt(position);
            if (Character.isWhitespace(character)) {
                position++;
            } else if (isIdentifierStart(character)) {
                int end = position;
                while (end < value.length() && (isIdentifierStart(value.charAt(end)) || Character.isDigit(value.charAt(end)) || value.charAt(end) == '$')) {
                    end++;
                }
                tokens.add(new TypeToken(Kind.WORD, value.substring(position, end), position + 1));
                position = end;
            } else if (character >= '0' && character <= '9') {
                int end = position;
                while (end < value.length() && value.charAt(end) >= '0' && value.charAt(end) <= '9') {
                    end++;
                }
                tokens.add(new TypeToken(Kind.NUMBER, value.substring(position, end), position + 1));
                position = end;
            } else if (character == '"') {
                position = quoted(value, position, tokens);
            } else if (SYMBOLS.indexOf(character) >= 0 && !value.startsWith("--", position)) {
                tokens.add(new TypeToken(Kind.SYMBOL, String.valueOf(character), position + 1));
                position++;
            } else {
                String shown = value.startsWith("--", position) || value.startsWith("/*", position)
                        ? "comment '" + value.substring(position, position + 2) + "'" : "character '" + character + "'";
                throw new SyntaxError("unexpected " + shown + " at character " + (position + 1));
            }
        }
        return tokens;
    }

    /** A quoted identifier from the quote at {@code start}; returns the position after its closing quote. */
    private static int quoted(String value, int start, List<TypeToken> tokens) {
        StringBuilder name = new StringBuilder();
        int position = start + 1;
        while (position < value.length()) {
            char character = value.charAt(position);
            if (character == '"' && value.startsWith("\"\"", position)) {
                name.append('"');
                position += 2;
            } else if (character == '"') {
                if (name.isEmpty()) {
                    throw new SyntaxError("empty quoted name at character " + (start + 1));
                }
                tokens.add(new TypeToken(Kind.QUOTED, name.toString(), start + 1));
                return position + 1;
            } else if (Character.isISOControl(character)) {
                throw new SyntaxError("control character in the quoted name at character " + (position + 1));
            } else {
                name.append(character);
                position++;
            }
        }
        throw new SyntaxError("unterminated quoted name starting at character " + (start + 1));
    }

    private static boolean isIdentifierStart(char character) {
        return character == '_' || (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') || character >= 0x80;
    }
}
