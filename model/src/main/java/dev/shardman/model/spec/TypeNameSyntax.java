package dev.shardman.model.spec;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A column type as PostgreSQL's grammar accepts a type name, and nothing else: an optionally
 * schema-qualified name (identifiers or quoted identifiers), or one of SQL's multi-word types
 * ({@code double precision}, {@code character varying}, {@code bit varying},
 * {@code time[stamp] [(p)] with[out] time zone}, {@code interval [fields] [(p)]}); then modifiers
 * {@code (n[, m])} and array suffixes {@code []}, {@code [n]} or {@code ARRAY[n]}. Anything else
 * (a {@code ;}, a comment, a string, a stray parenthesis or word) is refused, so a type can never end
 * the statement it is spliced into. Whether the type exists is the server's business (plan time).
 */
final class TypeNameSyntax {
    private static final Set<String> INTERVAL_FIELDS = Set.of("year", "month", "day", "hour", "minute", "second");

    private final List<TypeToken> tokens;
    private int next;

    private TypeNameSyntax(List<TypeToken> tokens) {
        this.tokens = tokens;
    }

    /** Why {@code text} is not a type name, if it is not. */
    static Optional<String> problem(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (TypeToken.SyntaxError error) {
            return Optional.of(error.getMessage());
        }
    }

    /** The type's name without modifiers or arrays, lower case unless quoted ({@code bigserial}, {@code public.my_type}). */
    static String parse(String text) {
        return new TypeNameSyntax(TypeToken.tokenize(text)).typeName();
    }

    private String typeName() {
        if (tokens.isEmpty()) {
            throw new TypeToken.SyntaxError("it is empty");
        }
        String name = baseName();
        arrays();
        if (next < tokens.size()) {
            throw unexpected(tokens.get(next));
        }
        return name;
    }

    private String baseName() {
        TypeToken first = expectName();
        if (first.kind() == TypeToken.Kind.WORD && !peek(".")) {
            String word = first.lowerText();
            switch (word) {
                case "double" -> {
                    expectWord("precision");
                    return "double precision";
                }
                case "character", "char", "bit", "varchar" -> {
                    String name = word.equals("varchar") || !acceptWord("varying") ? word : word + " varying";
                    modifiers();
                    return name;
                }
                case "time", "timestamp" -> {
                    modifiers();
                    return word + zone();
                }
                case "interval" -> {
                    String fields = intervalFields();
                    modifiers();
                    return "interval" + fields;
                }
                default -> {
                    modifiers();
                    return word;
                }
            }
        }
        String name = first.lowerText();
        if (accept(".")) {
            name = name + "." + expectName().lowerText();
        }
        modifiers();
        return name;
    }

    private String zone() {
        for (String which : List.of("with", "without")) {
            if (acceptWord(which)) {
                expectWord("time");
                expectWord("zone");
                return " " + which + " time zone";
            }
        }
        return "";
    }

    private String intervalFields() {
        if (next >= tokens.size() || !INTERVAL_FIELDS.contains(tokens.get(next).lowerText())) {
            return "";
        }
        StringBuilder fields = new StringBuilder(" ").append(tokens.get(next++).lowerText());
        if (acceptWord("to")) {
            TypeToken to = expectName();
            if (!INTERVAL_FIELDS.contains(to.lowerText())) {
                throw new TypeToken.SyntaxError("\"" + to.text() + "\" at character " + to.start() + " is not an interval field (year .. second)");
            }
            fields.append(" to ").append(to.lowerText());
        }
        return fields.toString();
    }

    /** {@code (n[, m ...])}: numbers (optionally negative) or plain words (as in {@code geometry(Point, 4326)}). */
    private void modifiers() {
        if (!accept("(")) {
            return;
        }
        do {
            boolean negative = accept("-");
            TypeToken value = take("a type modifier (a number)");
            if (value.kind() != TypeToken.Kind.NUMBER && (negative || value.kind() != TypeToken.Kind.WORD)) {
                throw unexpected(value);
            }
        } while (accept(","));
        expect(")");
    }

    private void arrays() {
        boolean keyword = acceptWord("array");
        while (accept("[")) {
            if (next < tokens.size() && tokens.get(next).kind() == TypeToken.Kind.NUMBER) {
                next++;
            }
            expect("]");
            if (keyword) {
                break;
            }
        }
    }

    private TypeToken expectName() {
        TypeToken token = take("a type name");
        if (token.kind() != TypeToken.Kind.WORD && token.kind() != TypeToken.Kind.QUOTED) {
            throw unexpected(token);
        }
        return token;
    }

    private void expectWord(String word) {
        if (!acceptWord(word)) {
            throw next < tokens.size() ? unexpected(tokens.get(next)) : new TypeToken.SyntaxError("it ends where \"" + word + "\" was expected");
        }
    }

    private boolean acceptWord(String word) {
        if (next < tokens.size() && tokens.get(next).kind() == TypeToken.Kind.WORD && tokens.get(next).lowerText().equals(word)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean peek(String symbol) {
        return next < tokens.size() && tokens.get(next).isSymbol(symbol);
    }

    private boolean accept(String symbol) {
        if (peek(symbol)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        TypeToken token = take("\"" + symbol + "\"");
        if (!token.isSymbol(symbol)) {
            throw unexpected(token);
        }
    }

    private TypeToken take(String expected) {
        if (next >= tokens.size()) {
            throw new TypeToken.SyntaxError("it ends where " + expected + " was expected");
        }
        return tokens.get(next++);
    }

    private static TypeToken.SyntaxError unexpected(TypeToken token) {
        return new TypeToken.SyntaxError("unexpected " + token.describe() + " at character " + token.start());
    }
}
