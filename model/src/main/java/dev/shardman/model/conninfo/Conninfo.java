package dev.shardman.model.conninfo;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.NameSuggestions;
import dev.shardman.model.ShardmanException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A libpq connection string, parsed: ordered keyword/value pairs with quotes and escapes removed.
 * Accepts both the {@code keyword=value} syntax and {@code postgresql://} URIs. Values may hold
 * {@code ${env:NAME}} references until {@link #resolve(Map)} replaces them.
 *
 * <p>Invariants: keywords are known to libpq and appear once; references are well formed; a port
 * without references is a number. {@link #toString()} is {@link #redacted()}: a password never
 * leaves this class except through {@link #password()} and {@link #toKeywordValueString()}, which
 * are for building a connection and must never be logged.
 */
public final class Conninfo {
    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 5432;

    private final List<ConninfoParameter> parameters;

    private Conninfo(List<ConninfoParameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    /** Parses {@code raw}; throws a ShardmanException (INVALID_INPUT) that never quotes a secret. */
    public static Conninfo parse(String raw) {
        requireNonNull(raw, "raw is null");
        String text = raw.strip();
        List<ConninfoParameter> parameters = UriSyntax.isUri(text) ? UriSyntax.parse(text) : KeywordValueSyntax.parse(text);
        Set<String> seen = new HashSet<>();
        for (ConninfoParameter parameter : parameters) {
            checkKeyword(parameter.keyword());
            if (!seen.add(parameter.keyword())) {
                throw invalid("\"" + parameter.keyword() + "\" is given twice", "keep one of them");
            }
            EnvironmentReferences.find(parameter.value(), parameter.keyword());
            if (parameter.keyword().equals("port")) {
                checkPort(parameter.value());
            }
        }
        return new Conninfo(parameters);
    }

    /** The names of the environment variables referenced, in order of appearance, each once. */
    public List<String> environmentVariables() {
        return parameters.stream()
                .flatMap(parameter -> EnvironmentReferences.find(parameter.value(), parameter.keyword()).stream())
                .map(EnvironmentReferences.Reference::name)
                .distinct()
                .toList();
    }

    /** This conninfo with every {@code ${env:NAME}} replaced; throws naming the first unset variable. */
    public Conninfo resolve(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        List<ConninfoParameter> resolved = new ArrayList<>();
        for (ConninfoParameter parameter : parameters) {
            resolved.add(new ConninfoParameter(parameter.keyword(),
                    EnvironmentReferences.substitute(parameter.value(), parameter.keyword(), environment)));
        }
        return new Conninfo(resolved);
    }

    public List<String> keywords() {
        return parameters.stream().map(ConninfoParameter::keyword).toList();
    }

    /** The value of {@code keyword} as written (references unresolved), if given. */
    public Optional<String> value(String keyword) {
        return parameters.stream().filter(parameter -> parameter.keyword().equals(keyword))
                .map(ConninfoParameter::value).findFirst();
    }

    /** {@code host}, else {@code hostaddr}, else libpq's default {@code localhost}. */
    public String host() {
        return value("host").or(() -> value("hostaddr")).filter(host -> !host.isEmpty()).orElse(DEFAULT_HOST);
    }

    /** The port, default 5432; throws when it is still an unresolved reference or a list. */
    public int port() {
        String port = value("port").filter(text -> !text.isEmpty()).orElse(String.valueOf(DEFAULT_PORT));
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException notANumber) {
            throw invalid("the port \"" + port + "\" is not a single number", "resolve references first");
        }
    }

    /** The port as written, default "5432"; unlike {@link #port()} it works before resolution. */
    public String portText() {
        return value("port").filter(text -> !text.isEmpty()).orElse(String.valueOf(DEFAULT_PORT));
    }

    public Optional<String> user() {
        return value("user").filter(user -> !user.isEmpty());
    }

    /** {@code dbname}, else the user name (libpq's default); empty when neither is given. */
    public Optional<String> dbname() {
        return value("dbname").filter(dbname -> !dbname.isEmpty()).or(this::user);
    }

    /** The password, for building a connection only; never log or print it. */
    public Optional<String> password() {
        return value("password");
    }

    /** libpq keyword=value form with every value, the password included; never log or print it. */
    public String toKeywordValueString() {
        return parameters.stream().map(parameter -> parameter.keyword() + "=" + KeywordValueSyntax.quote(parameter.value()))
                .collect(Collectors.joining(" "));
    }

    /** libpq keyword=value form with secret values replaced by {@code ***}: safe to print. */
    public String redacted() {
        return parameters.stream().map(ConninfoParameter::toString).collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return redacted();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Conninfo that && parameters.equals(that.parameters);
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    static ShardmanException invalid(String summary, String detail) {
        return new ShardmanException(ErrorCode.INVALID_INPUT, summary, detail);
    }

    private static void checkKeyword(String keyword) {
        if (!LibpqKeywords.ALL.contains(keyword)) {
            String suggestion = NameSuggestions.didYouMean(keyword, LibpqKeywords.ALL);
            throw invalid("unknown connection keyword \"" + keyword + "\"" + suggestion,
                    suggestion.isEmpty() ? "see the libpq documentation, \"Parameter Key Words\"" : "");
        }
    }

    private static void checkPort(String port) {
        if (!EnvironmentReferences.find(port, "port").isEmpty()) {
            return;
        }
        for (String single : port.split(",", -1)) {
            if (!single.isEmpty() && !isPortNumber(single)) {
                throw invalid("the port \"" + port + "\" is not a number from 1 to 65535", "write e.g. port=5432");
            }
        }
    }

    private static boolean isPortNumber(String text) {
        return text.length() <= 5 && text.chars().allMatch(Character::isDigit)
                && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535;
    }
}
