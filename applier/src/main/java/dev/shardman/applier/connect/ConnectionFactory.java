package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.conninfo.Conninfo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Opens pgjdbc connections from libpq conninfo strings: parse, resolve {@code ${env:NAME}} against
 * {@code environment}, map to a URL and properties ({@link ConninfoMapping}), connect. Every
 * connection carries {@code applicationName} (e.g. {@code shardman-apply}) and a connect timeout.
 *
 * <p>A failure is a {@link ShardmanException} with {@link ErrorCode#NODE_FAILURE} naming the target
 * and its redacted conninfo; the password never appears in it (pgjdbc's own message is scrubbed too).
 */
public final class ConnectionFactory {
    public static final String DEFAULT_APPLICATION_NAME = "shardman";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> environment;
    private final String applicationName;
    private final Duration connectTimeout;

    public ConnectionFactory(Map<String, String> environment, String applicationName, Duration connectTimeout) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.applicationName = requireNonNull(applicationName, "applicationName is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
    }

    /** A factory for the process environment, with ApplicationName {@code applicationName}. */
    public static ConnectionFactory fromEnvironment(String applicationName) {
        return new ConnectionFactory(System.getenv(), applicationName, DEFAULT_CONNECT_TIMEOUT);
    }

    /** The environment that {@code ${env:NAME}} references resolve against (also for values sent to the nodes). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The URL and properties {@code target} maps to (secrets only in the properties). */
    public JdbcEndpoint endpoint(ConnectionTarget target) {
        Conninfo resolved = resolve(target);
        return ConninfoMapping.map(resolved, applicationName, connectTimeout, System.getProperty("user.name", "postgres"));
    }

    /** A new connection in autocommit mode; the caller closes it. */
    public Connection connect(ConnectionTarget target) {
        Conninfo resolved = resolve(target);
        JdbcEndpoint endpoint = ConninfoMapping.map(resolved, applicationName, connectTimeout, System.getProperty("user.name", "postgres"));
        try {
            return DriverManager.getConnection(endpoint.url(), endpoint.toProperties());
        } catch (SQLException failure) {
            String reason = scrub(String.valueOf(failure.getMessage()), resolved);
            throw new ShardmanException(ErrorCode.NODE_FAILURE,
                    "cannot connect to " + target.displayName() + " (" + resolved.redacted() + "): " + reason,
                    "check that the server is up and the conninfo is right; a password can come from ${env:NAME} or ~/.pgpass");
        }
    }

    private Conninfo resolve(ConnectionTarget target) {
        try {
            return Conninfo.parse(target.conninfo()).resolve(environment);
        } catch (ShardmanException invalid) {
            throw new ShardmanException(invalid.code(), target.displayName() + ": " + invalid.summary(), invalid.detail(), invalid);
        }
    }

    /** {@code message} with every secret value of {@code conninfo} replaced by {@code ***}. */
    private static String scrub(String message, Conninfo conninfo) {
        String scrubbed = message;
        for (String keyword : new String[] {"password", "sslpassword"}) {
            String secret = conninfo.value(keyword).orElse("");
            if (!secret.isEmpty()) {
                scrubbed = scrubbed.replace(secret, "***");
            }
        }
        return scrubbed;
    }
}
