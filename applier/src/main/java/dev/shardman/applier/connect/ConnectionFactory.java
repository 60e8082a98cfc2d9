package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.conninfo.Conninfo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Opens pgjdbc connections from libpq conninfo strings: parse, resolve {@code ${env:NAME}} with
 * {@code secrets}, map to a URL and properties ({@link ConninfoMapping}), connect. Every
 * connection carries {@code applicationName} (e.g. {@code shardman-apply}) and the bounds of {@link SessionTimeouts}:
 * a connect timeout (the smaller of the factory's and the node timeout, unless the conninfo has {@code connect_timeout}),
 * {@code statement_timeout} = the node timeout, a socket read timeout a little longer, and TCP keepalive. A socket
 * timeout on a session fails with a message naming the target ({@link SilentNodeNaming}).
 *
 * <p>A failure is a {@link ShardmanException} with {@link ErrorCode#NODE_FAILURE} naming the target
 * and its redacted conninfo; the password never appears in it (pgjdbc's own message is scrubbed too).
 */
public final class ConnectionFactory {
    public static final String DEFAULT_APPLICATION_NAME = "shardman";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The node timeout before a spec is read (e.g. {@code state pull}); the same as {@code settings.node_timeout}'s default. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(30);

    private final ConninfoSecrets secrets;
    private final String applicationName;
    private final SessionTimeouts timeouts;
    /** Targets that could not be connected to, by target: present only in a factory that remembers them. */
    private final Optional<Map<ConnectionTarget, ShardmanException>> unreachable;

    public ConnectionFactory(ConninfoSecrets secrets, String applicationName, Duration connectTimeout) {
        this(secrets, applicationName, new SessionTimeouts(connectTimeout, DEFAULT_NODE_TIMEOUT), Optional.empty());
    }

    private ConnectionFactory(ConninfoSecrets secrets, String applicationName, SessionTimeouts timeouts,
                              Optional<Map<ConnectionTarget, ShardmanException>> unreachable) {
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.applicationName = requireNonNull(applicationName, "applicationName is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.unreachable = requireNonNull(unreachable, "unreachable is null");
    }

    /** This factory with {@code nodeTimeout} ({@code settings.node_timeout} of the spec at hand); connecting waits at most as long. */
    public ConnectionFactory withNodeTimeout(Duration nodeTimeout) {
        Duration connect = timeouts.connect().compareTo(nodeTimeout) < 0 ? timeouts.connect() : nodeTimeout;
        return new ConnectionFactory(secrets, applicationName, new SessionTimeouts(connect, nodeTimeout, timeouts.lock()), unreachable);
    }

    /** This factory with {@code lock_timeout} on every session ({@link SessionTimeouts#withLockTimeout}). */
    public ConnectionFactory withLockTimeout(Duration lockTimeout) {
        return new ConnectionFactory(secrets, applicationName, timeouts.withLockTimeout(lockTimeout), unreachable);
    }

    /**
     * This factory, failing at once, with the same error, to connect to a target it already failed to connect to. For a
     * read-only command whose several reads each visit every node (plan): a hung node then costs one connect timeout,
     * not one per read. Not for a command that changes the cluster, whose later steps must try a node that came back.
     */
    public ConnectionFactory rememberingUnreachable() {
        return new ConnectionFactory(secrets, applicationName, timeouts, Optional.of(new ConcurrentHashMap<>()));
    }

    public SessionTimeouts timeouts() {
        return timeouts;
    }

    /** A factory for the process environment, with ApplicationName {@code applicationName}. */
    public static ConnectionFactory fromEnvironment(String applicationName) {
        return new ConnectionFactory(ConninfoSecrets.fromProcess(), applicationName, DEFAULT_CONNECT_TIMEOUT);
    }

    /** What {@code ${env:NAME}} references resolve from (also for values sent to the nodes). */
    public ConninfoSecrets secrets() {
        return secrets;
    }

    /** The URL and properties {@code target} maps to (secrets only in the properties). */
    public JdbcEndpoint endpoint(ConnectionTarget target) {
        Conninfo resolved = resolve(target);
        return ConninfoMapping.map(resolved, applicationName, timeouts, System.getProperty("user.name", "postgres"));
    }

    /** A new connection in autocommit mode; the caller closes it. */
    public Connection connect(ConnectionTarget target) {
        Optional<ShardmanException> known = unreachable.map(failed -> failed.get(target));
        if (known.isPresent()) {
            throw known.get();
        }
        try {
            return open(target);
        } catch (ShardmanException failure) {
            unreachable.ifPresent(failed -> failed.put(target, failure));
            throw failure;
        }
    }

    private Connection open(ConnectionTarget target) {
        Conninfo resolved = resolve(target);
        JdbcEndpoint endpoint = ConninfoMapping.map(resolved, applicationName, timeouts, System.getProperty("user.name", "postgres"));
        try {
            Properties properties = endpoint.toProperties();
            // every supported server is 9.0+: pgjdbc then sends application_name in the startup packet, not in a SET of its own
            properties.setProperty("assumeMinServerVersion", "10");
            Connection connection = DriverManager.getConnection(endpoint.url(), properties);
            try {
                // pgjdbc's socketTimeout property counts whole seconds; this is the exact bound, in milliseconds.
                connection.setNetworkTimeout(Runnable::run, SessionTimeouts.milliseconds(timeouts.socketRead()));
            } catch (SQLException unexpected) {
                connection.close();
                throw unexpected;
            }
            return SilentNodeNaming.wrap(connection, target.displayName(), timeouts);
        } catch (SQLException failure) {
            // pgjdbc's sentence ends inside ours (a warning adds its own full stop)
            String reason = scrub(String.valueOf(failure.getMessage()), resolved).replaceFirst("\\.$", "");
            throw new ShardmanException(ErrorCode.NODE_FAILURE,
                    "cannot connect to " + target.displayName() + " (" + resolved.redacted() + "): " + reason,
                    "check that the server is up and the conninfo is right; a password can come from ${env:NAME} or ~/.pgpass");
        }
    }

    private Conninfo resolve(ConnectionTarget target) {
        try {
            return secrets.resolve(target.conninfo());
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
