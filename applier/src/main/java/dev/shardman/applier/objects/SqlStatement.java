package dev.shardman.applier.objects;

import static java.util.Objects.requireNonNull;

/**
 * One SQL statement to execute. {@code text} may contain a secret (a user mapping password) and is
 * for execution only; {@code redactedText} is for everything else: logs, exception messages, the
 * journal, reports. {@link #toString()} is the redacted text.
 *
 * @param scansData the statement reads or rewrites a user table's rows (an index build, a column type change, an
 *        ATTACH that validates): it may legitimately outlast the node timeout and runs under LongStatement's bound
 */
public record SqlStatement(String text, String redactedText, boolean scansData) {
    private static final int SUMMARY_LENGTH = 200;

    public SqlStatement {
        requireNonNull(text, "text is null");
        requireNonNull(redactedText, "redactedText is null");
    }

    public SqlStatement(String text, String redactedText) {
        this(text, redactedText, false);
    }

    /** A statement without secrets: text and redacted text are the same. */
    public static SqlStatement plain(String text) {
        return new SqlStatement(text, text);
    }

    /** A statement without secrets that may scan a user table ({@link #scansData}). */
    public static SqlStatement scanning(String text) {
        return new SqlStatement(text, text, true);
    }

    /**
     * The redacted text for an error message: its first line, cut at 200 characters, with {@code ...} when something
     * was left out (a DO block of sixty lines would bury the server's error after it).
     */
    public String summary() {
        String firstLine = redactedText.strip().lines().findFirst().orElse("");
        String shown = firstLine.length() > SUMMARY_LENGTH ? firstLine.substring(0, SUMMARY_LENGTH) : firstLine;
        return shown.length() < redactedText.strip().length() ? shown + " ..." : shown;
    }

    @Override
    public String toString() {
        return redactedText;
    }
}
