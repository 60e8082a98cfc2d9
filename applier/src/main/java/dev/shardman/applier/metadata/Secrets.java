package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.util.regex.Pattern;

/**
 * Keeps passwords out of the metadata: conninfo strings with a literal password are refused, and
 * free text (error messages) has anything that looks like a password masked before it is stored.
 */
final class Secrets {
    private static final Pattern KEYWORD_SECRET = Pattern.compile(
            "\\b(password|sslpassword|oauth_client_secret)(\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s'\"]+)");
    private static final Pattern URI_SECRET = Pattern.compile("(postgres(?:ql)?://[^/@:\\s]*:)[^@/\\s]+@");

    private Secrets() {
    }

    /** {@code text} with password values (keyword form and URI user:password@) replaced by {@code ***}. */
    static String redact(String text) {
        String masked = KEYWORD_SECRET.matcher(text).replaceAll("$1$2***");
        return URI_SECRET.matcher(masked).replaceAll("$1***@");
    }

    /** Throws INVALID_INPUT when {@code text} (a step description, a conninfo) holds a literal password. */
    static void refuseLiteralPassword(String what, String text) {
        if (dev.shardman.model.state.Conninfos.containsLiteralPassword(text) || !redact(text).equals(text) && !onlyReferences(text)) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT,
                    what + " holds a literal password; it will not be written to the shardlord metadata",
                    "write password=${env:NAME} in cluster.yaml, or use ~/.pgpass");
        }
    }

    /** True when every password value in {@code text} is a {@code ${env:NAME}} reference. */
    private static boolean onlyReferences(String text) {
        return KEYWORD_SECRET.matcher(text).results()
                .allMatch(match -> match.group(3).matches("'?\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}'?"))
                && !URI_SECRET.matcher(text.replaceAll(":\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}@", ":@")).find();
    }
}
