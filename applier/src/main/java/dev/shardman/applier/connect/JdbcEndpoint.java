package dev.shardman.applier.connect;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A pgjdbc connection target: a URL that holds only host, port and database, and the connection
 * properties. Secrets (password, sslpassword) live only in the properties, never in the URL;
 * {@link #toString()} hides them, so an endpoint may be logged.
 */
public record JdbcEndpoint(String url, Map<String, String> properties) {
    private static final Set<String> SECRET_PROPERTIES = Set.of("password", "sslpassword");

    public JdbcEndpoint {
        requireNonNull(url, "url is null");
        properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    /** A fresh, mutable copy of the properties for {@code DriverManager.getConnection}. */
    public Properties toProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    @Override
    public String toString() {
        return url + " " + new TreeMap<>(properties).entrySet().stream()
                .map(entry -> entry.getKey() + "=" + (SECRET_PROPERTIES.contains(entry.getKey()) ? "***" : entry.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
