package dev.shardman.applier.objects;

import static java.util.Objects.requireNonNull;

/**
 * One SQL statement to execute. {@code text} may contain a secret (a user mapping password) and is
 * for execution only; {@code redactedText} is for everything else: logs, exception messages, the
 * journal, reports. {@link #toString()} is the redacted text.
 */
public record SqlStatement(String text, String redactedText) {
    public SqlStatement {
        requireNonNull(text, "text is null");
        requireNonNull(redactedText, "redactedText is null");
    }

    /** A statement without secrets: text and redacted text are the same. */
    public static SqlStatement plain(String text) {
        return new SqlStatement(text, text);
    }

    @Override
    public String toString() {
        return redactedText;
    }
}
