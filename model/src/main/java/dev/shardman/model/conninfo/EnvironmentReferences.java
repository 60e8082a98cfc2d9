package dev.shardman.model.conninfo;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code ${env:NAME}} references inside conninfo values: how to find them, check them and
 * replace them. They let a spec name a password without containing it. There is no escape for a
 * literal {@code ${}: a value that needs one can itself come from an environment variable.
 */
final class EnvironmentReferences {
    private static final String OPEN = "${";
    private static final String PREFIX = "env:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvironmentReferences() {
    }

    /** A reference found in a value: its name and its span [start, end) in that value. */
    record Reference(String name, int start, int end) {
    }

    /** All references of {@code value}, in order; throws when one is malformed. */
    static List<Reference> find(String value, String keyword) {
        List<Reference> references = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = value.indexOf(OPEN, from);
            if (start < 0) {
                return references;
            }
            int close = value.indexOf('}', start + OPEN.length());
            if (close < 0) {
                throw invalid("the value of \"" + keyword + "\" has a \"${\" that is not closed by \"}\"");
            }
            String body = value.substring(start + OPEN.length(), close);
            if (!body.startsWith(PREFIX)) {
                throw invalid("the value of \"" + keyword + "\" has " + shown(keyword, "${" + body + "}")
                        + " that is not of the form ${env:NAME}");
            }
            String name = body.substring(PREFIX.length());
            if (!NAME.matcher(name).matches()) {
                throw invalid("the value of \"" + keyword + "\" references the environment variable \""
                        + (name.length() > 64 ? name.substring(0, 64) + "..." : name)
                        + "\", which is not a valid name (letters, digits and _, not starting with a digit)");
            }
            references.add(new Reference(name, start, close + 1));
            from = close + 1;
        }
    }

    /** {@code value} with every reference replaced by its variable's value. */
    static String substitute(String value, String keyword, Map<String, String> environment) {
        StringBuilder resolved = new StringBuilder();
        int copied = 0;
        for (Reference reference : find(value, keyword)) {
            String replacement = environment.get(reference.name());
            if (replacement == null) {
                throw new ShardmanException(ErrorCode.INVALID_INPUT,
                        "the environment variable " + reference.name() + " is not set (used by ${env:"
                                + reference.name() + "} in the value of \"" + keyword + "\")",
                        "export " + reference.name() + " before running this command, or use ~/.pgpass");
            }
            if (replacement.isEmpty()) {
                // an empty password makes every peer's connection fail once written into the nodes' mappings
                throw new ShardmanException(ErrorCode.INVALID_INPUT,
                        "the environment variable " + reference.name() + " is empty (used by ${env:"
                                + reference.name() + "} in the value of \"" + keyword + "\")",
                        "export " + reference.name() + " with its value before running this command, or use ~/.pgpass");
            }
            resolved.append(value, copied, reference.start()).append(replacement);
            copied = reference.end();
        }
        return resolved.append(value.substring(copied)).toString();
    }

    /**
     * {@code value} with each reference's characters replaced by {@code x}: the same length, and
     * no delimiter of the URI syntax inside a reference (so {@code ${env:PW}} may stand in a URI).
     */
    static String mask(String value) {
        StringBuilder masked = new StringBuilder(value);
        int from = 0;
        while (true) {
            int start = value.indexOf(OPEN, from);
            int close = start < 0 ? -1 : value.indexOf('}', start);
            if (close < 0) {
                return masked.toString();
            }
            for (int index = start; index <= close; index++) {
                masked.setCharAt(index, 'x');
            }
            from = close + 1;
        }
    }

    /** {@code text} unless it may be (part of) a secret or is too long to read: then a neutral "a ${...}". */
    private static String shown(String keyword, String text) {
        return LibpqKeywords.isSecret(keyword) || text.length() > 80 ? "a ${...}" : text;
    }

    private static ShardmanException invalid(String summary) {
        return new ShardmanException(ErrorCode.INVALID_INPUT, summary, "write references as ${env:NAME}");
    }
}
