package dev.shardman.model.spec;

import dev.shardman.model.Diagnostic;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by callers that prefer an exception to a {@link SpecLoadResult}: the spec is invalid.
 * The detail holds one {@code file:line:column: message} line per diagnostic.
 */
public class SpecValidationException extends ShardmanException {
    private final List<Diagnostic> diagnostics;

    public SpecValidationException(List<Diagnostic> diagnostics) {
        super(ErrorCode.INVALID_INPUT, summary(diagnostics),
                diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String summary(List<Diagnostic> diagnostics) {
        long errors = diagnostics.stream().filter(diagnostic -> diagnostic.severity().isError()).count();
        String file = diagnostics.isEmpty() ? "the spec" : diagnostics.get(0).position().file();
        return file + " is invalid: " + errors + (errors == 1 ? " error" : " errors") + "; fix them and run the command again";
    }
}
