package dev.shardman.model.spec;

import dev.shardman.model.Diagnostic;
import dev.shardman.model.SourcePosition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one spec while it is parsed and validated, so that all of them are
 * reported at once instead of one per run. Not thread-safe: one instance per load.
 */
final class Diagnostics {
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    void error(SourcePosition position, String message) {
        diagnostics.add(Diagnostic.error(position, printable(message)));
    }

    void warning(SourcePosition position, String message) {
        diagnostics.add(Diagnostic.warning(position, printable(message)));
    }

    /** Control characters (from names in the file) escaped, so that each diagnostic stays one line. */
    static String printable(String message) {
        StringBuilder printable = new StringBuilder();
        message.codePoints().forEach(character -> {
            if (character == '\t') {
                printable.append("\\t");
            } else if (character == '\n') {
                printable.append("\\n");
            } else if (Character.isISOControl(character)) {
                printable.append(String.format("\\u%04X", character));
            } else {
                printable.appendCodePoint(character);
            }
        });
        return printable.toString();
    }

    boolean hasErrors() {
        return diagnostics.stream().anyMatch(diagnostic -> diagnostic.severity().isError());
    }

    /** In file order (line, then column), so that the report reads from top to bottom. */
    List<Diagnostic> inFileOrder() {
        return diagnostics.stream()
                .sorted(Comparator.comparingInt((Diagnostic diagnostic) -> diagnostic.position().line())
                        .thenComparingInt(diagnostic -> diagnostic.position().column()))
                .toList();
    }
}
