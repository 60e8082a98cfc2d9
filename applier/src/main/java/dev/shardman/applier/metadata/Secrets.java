package dev.shardman.applier.metadata;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.Conninfos;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of the metadata: conninfo strings and step descriptions with a literal password
 * are refused, and error texts have anything that looks like a password masked before they are stored.
 * {@code ${env:NAME}} references are not secrets and are kept.
 */
public final class Secrets {
    private static final Pattern KEYWORD_SECRET = Pattern.compile(
            "\\b(password|sslpassword|oauth_client_secret)(\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s'\"]+)");
    private static final Pattern URI_SECRET = Pattern.compile("(postgres(?:ql)?://[^/@:\\s]*:)([^@/\\s]+)@");

    private Secrets() {
    }

    /** {@code text} with password values (keyword form and URI user:password@) replaced by {@code ***}. */
    public static String redact(String text) {
        String masked = replace(KEYWORD_SECRET.matcher(text), 3, "$1$2***");
        return replace(URI_SECRET.matcher(masked), 2, "$1***@");
    }

    /** Throws INVALID_INPUT when the conninfo holds a literal password (the rule of state snapshots). */
    static void refuseLiteralPasswordInConninfo(String what, String conninfo) {
        if (Conninfos.containsLiteralPassword(conninfo) || !redact(conninfo).equals(conninfo)) {
            throw literalPassword(what);
        }
    }

    /** Throws INVALID_INPUT when free text (a step description) holds something that looks like a literal password. */
    static void refuseLiteralPassword(String what, String text) {
        if (!redact(text).equals(text)) {
            throw literalPassword(what);
        }
    }

    private static String replace(Matcher matcher, int valueGroup, String replacement) {
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            boolean reference = matcher.group(valueGroup).replace("'", "").startsWith("${env:");
            matcher.appendReplacement(result, reference ? Matcher.quoteReplacement(matcher.group()) : replacement);
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static ShardmanException literalPassword(String what) {
        return new ShardmanException(ErrorCode.INVALID_INPUT,
                what + " holds a literal password; it will not be written to the shardlord metadata",
                "write password=${env:NAME} in cluster.yaml, or use ~/.pgpass");
    }
}
