package dev.shardman.model.spec;

import dev.shardman.model.Diagnostic;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What loading a spec gave: the spec when no ERROR was found, and every diagnostic in file order.
 * Invariant: {@code spec} is present exactly when no diagnostic is an error (warnings may remain).
 */
public record SpecLoadResult(Optional<ClusterSpec> spec, List<Diagnostic> diagnostics) {
    public SpecLoadResult {
        requireNonNull(spec, "spec is null");
        diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
        boolean hasErrors = diagnostics.stream().anyMatch(diagnostic -> diagnostic.severity().isError());
        if (spec.isPresent() == hasErrors) {
            throw new IllegalArgumentException("a spec must be given exactly when there is no error");
        }
    }

    public boolean hasErrors() {
        return spec.isEmpty();
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(diagnostic -> diagnostic.severity().isError()).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(diagnostic -> !diagnostic.severity().isError()).toList();
    }

    /** The spec, or a SpecValidationException carrying every diagnostic. */
    public ClusterSpec orElseThrow() {
        return spec.orElseThrow(() -> new SpecValidationException(diagnostics));
    }
}
