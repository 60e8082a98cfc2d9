package dev.shardman.model.spec;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The entry point for reading cluster.yaml: parse, then validate, collecting every problem.
 * {@code environment} is where {@code ${env:NAME}} references will be looked up (usually
 * {@code System.getenv()}); an unset variable is only a warning here.
 */
public final class SpecLoader {
    private SpecLoader() {
    }

    /**
     * Reads and validates {@code file}; messages name it as given ({@code file.toString()}).
     *
     * @throws ShardmanException (INVALID_INPUT) when the file cannot be read at all
     */
    public static SpecLoadResult load(Path file, Map<String, String> environment) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "cannot read the spec " + file + ": " + reason(unreadable),
                    "check the path given with -f", unreadable);
        }
        return load(file.toString(), text, environment);
    }

    /** Validates {@code text} as if read from a file named {@code fileName} (for stdin and tests). */
    public static SpecLoadResult load(String fileName, String text, Map<String, String> environment) {
        Diagnostics diagnostics = new Diagnostics();
        ParseContext context = new ParseContext(fileName, diagnostics);
        Optional<ClusterSpec> spec = YamlDocument.compose(text, context).flatMap(root -> new ClusterSpecParser(context).parse(root));
        spec.ifPresent(parsed -> new SpecValidator(Map.copyOf(environment)).validate(parsed, diagnostics));
        return new SpecLoadResult(diagnostics.hasErrors() ? Optional.empty() : spec, diagnostics.inFileOrder());
    }

    private static String reason(IOException unreadable) {
        if (unreadable instanceof NoSuchFileException) {
            return "no such file";
        }
        if (unreadable instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (unreadable instanceof CharacterCodingException) {
            return "it is not UTF-8 text";
        }
        return unreadable.getMessage();
    }
}
