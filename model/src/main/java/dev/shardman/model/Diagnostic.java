package dev.shardman.model;

import static java.util.Objects.requireNonNull;

/**
 * One problem found in an input file (a spec, a state snapshot), with where it is. Prints as
 * {@code file:line:column: message}, or {@code file:line:column: warning: message} for a warning.
 * A plain value so that the CLI can also render it as JSON (it has no getter besides its components,
 * so Jackson writes exactly severity, position and message). The message never contains a password.
 */
public record Diagnostic(Severity severity, SourcePosition position, String message) {
    /** An ERROR makes the input unusable; a WARNING is worth reading but does not stop a command. */
    public enum Severity {
        ERROR,
        WARNING;

        public boolean isError() {
            return this == ERROR;
        }
    }

    public Diagnostic {
        requireNonNull(severity, "severity is null");
        requireNonNull(position, "position is null");
        requireNonNull(message, "message is null");
    }

    public static Diagnostic error(SourcePosition position, String message) {
        return new Diagnostic(Severity.ERROR, position, message);
    }

    public static Diagnostic warning(SourcePosition position, String message) {
        return new Diagnostic(Severity.WARNING, position, message);
    }

    @Override
    public String toString() {
        return position + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
    }
}
