package dev.shardman.model.spec;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lexical check of a column default: it must be exactly one expression, so that spliced into
 * {@code DEFAULT <expression>} it can never end its context and start another statement. Outside string
 * literals ({@code '...'} with {@code ''}, {@code E'...'} with backslash escapes, dollar quotes
 * {@code $tag$...$tag$}) and quoted identifiers, there is no {@code ;}, no comment, and parentheses and
 * brackets balance. Whether it means anything is the server's business (plan time). Assumes
 * {@code standard_conforming_strings = on}, PostgreSQL's default since 9.1.
 */
final class DefaultExpressionSyntax {
    private final String text;
    private final Set<String> calledFunctions = new TreeSet<>();
    private int position;
    private int depth;

    private DefaultExpressionSyntax(String text) {
        this.text = text;
    }

    /** What a lexically sound default calls: lower-case names of the functions it calls (last part of a qualified name). */
    record Lexed(Set<String> calledFunctions) {
        Lexed {
            calledFunctions = Set.copyOf(calledFunctions);
        }
    }

    /** Why {@code expression} is not one expression, if it is not. */
    static Optional<String> problem(String expression) {
        try {
            lex(expression);
            return Optional.empty();
        } catch (TypeToken.SyntaxError error) {
            return Optional.of(error.getMessage());
        }
    }

    static Lexed lex(String expression) {
        if (expression.isBlank()) {
            throw new TypeToken.SyntaxError("it is empty");
        }
        DefaultExpressionSyntax lexer = new DefaultExpressionSyntax(expression);
        lexer.scan();
        return new Lexed(lexer.calledFunctions);
    }

    private void scan() {
        while (position < text.length()) {
            char character = text.charAt(position);
            if (text.startsWith("--", position) || text.startsWith("/*", position)) {
                throw error("a comment ('" + text.substring(position, position + 2) + "') is not allowed");
            } else if (character == ';') {
                throw error("';' would end the statement; a default is one expression");
            } else if (character == '\'') {
                position = string(position, false);
            } else if (character == '"') {
                position = closing('"', position, "quoted identifier");
            } else if (character == '$' && dollarTag(position).isPresent()) {
                position = dollarQuoted(dollarTag(position).get());
            } else if (isWordCharacter(character)) {
                word();
            } else {
                nesting(character);
                position++;
            }
        }
        if (depth != 0) {
            throw new TypeToken.SyntaxError("unbalanced parentheses: " + depth + " left open at the end");
        }
    }

    /** An identifier, keyword or number; an {@code E} right before a quote opens an escape string. */
    private void word() {
        int start = position;
        while (position < text.length() && (isWordCharacter(text.charAt(position)) || text.charAt(position) == '$')) {
            position++;
        }
        String word = text.substring(start, position).toLowerCase(Locale.ROOT);
        if (position < text.length() && text.charAt(position) == '\'') {
            position = string(position, word.equals("e"));
            return;
        }
        int after = position;
        while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
            after++;
        }
        if (after < text.length() && text.charAt(after) == '(') {
            calledFunctions.add(word);
        }
    }

    private void nesting(char character) {
        if (character == '(' || character == '[') {
            depth++;
        } else if (character == ')' || character == ']') {
            depth--;
            if (depth < 0) {
                throw error("'" + character + "' closes nothing (unbalanced parentheses)");
            }
        }
    }

    /** A string literal from the quote at {@code start}; returns the position after it. */
    private int string(int start, boolean escapes) {
        int index = start + 1;
        while (index < text.length()) {
            char character = text.charAt(index);
            if (escapes && character == '\\') {
                index += 2;
            } else if (character == '\'' && text.startsWith("''", index)) {
                index += 2;
            } else if (character == '\'') {
                return index + 1;
            } else {
                index++;
            }
        }
        throw new TypeToken.SyntaxError("unterminated string literal starting at character " + (start + 1));
    }

    private int closing(char quote, int start, String what) {
        int index = start + 1;
        while (index < text.length()) {
            if (text.charAt(index) == quote && text.startsWith(String.valueOf(quote).repeat(2), index)) {
                index += 2;
            } else if (text.charAt(index) == quote) {
                return index + 1;
            } else {
                index++;
            }
        }
        throw new TypeToken.SyntaxError("unterminated " + what + " starting at character " + (start + 1));
    }

    /** {@code $tag$} or {@code $$} at {@code start} (a {@code $} followed by a digit is a parameter, not a quote). */
    private Optional<String> dollarTag(int start) {
        int index = start + 1;
        while (index < text.length() && isWordCharacter(text.charAt(index)) && !(index == start + 1 && Character.isDigit(text.charAt(index)))) {
            index++;
        }
        return index < text.length() && text.charAt(index) == '$' ? Optional.of(text.substring(start, index + 1)) : Optional.empty();
    }

    private int dollarQuoted(String tag) {
        int end = text.indexOf(tag, position + tag.length());
        if (end < 0) {
            throw error("unterminated dollar-quoted string " + tag);
        }
        return end + tag.length();
    }

    private TypeToken.SyntaxError error(String message) {
        return new TypeToken.SyntaxError(message + " (at character " + (position + 1) + ")");
    }

    private static boolean isWordCharacter(char character) {
        return character == '_' || Character.isLetterOrDigit(character) || character >= 0x80;
    }
}
