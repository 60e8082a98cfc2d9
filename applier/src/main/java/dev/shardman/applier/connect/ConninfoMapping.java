package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.conninfo.Conninfo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a resolved libpq conninfo to a pgjdbc URL and properties, keyword by keyword, with libpq's defaults: host, port
 * and dbname form the (multi-host) URL, passwords are properties only, TLS/GSS/session keywords take their pgjdbc names,
 * the {@link SessionTimeouts} bound every session, and shardman's application name wins so its sessions can be found.
 * A keyword pgjdbc has no equivalent for is refused with INVALID_INPUT rather than silently ignored. Keyword by keyword:
 * docs/internals/connections.md.
 */
final class ConninfoMapping {
    private static final Map<String, String> SAME_VALUE_PROPERTIES = Map.ofEntries(
            Map.entry("user", "user"),
            Map.entry("password", "password"),
            Map.entry("sslpassword", "sslpassword"),
            Map.entry("sslmode", "sslmode"),
            Map.entry("sslcert", "sslcert"),
            Map.entry("sslkey", "sslkey"),
            Map.entry("sslrootcert", "sslrootcert"),
            Map.entry("sslnegotiation", "sslNegotiation"),
            Map.entry("channel_binding", "channelBinding"),
            Map.entry("gssencmode", "gssEncMode"),
            Map.entry("gsslib", "gsslib"),
            Map.entry("krbsrvname", "kerberosServerName"),
            Map.entry("options", "options"),
            Map.entry("replication", "replication"));
    private static final Map<String, String> TARGET_SERVER_TYPES = Map.of(
            "any", "any", "read-write", "primary", "primary", "primary",
            "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");
    private static final List<String> HANDLED_ELSEWHERE = List.of("host", "hostaddr", "port", "dbname", "connect_timeout",
            "application_name", "fallback_application_name", "client_encoding", "target_session_attrs",
            "load_balance_hosts", "keepalives");

    private ConninfoMapping() {
    }

    /**
     * The endpoint for {@code conninfo}, which must be resolved (no {@code ${env:...}} left).
     *
     * @param osUser libpq's default user (the operating-system user), used when the conninfo names none
     */
    static JdbcEndpoint map(Conninfo conninfo, String applicationName, SessionTimeouts timeouts, String osUser) {
        if (!conninfo.environmentVariables().isEmpty()) {
            throw new IllegalArgumentException("conninfo is not resolved: " + conninfo.redacted());
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (String keyword : conninfo.keywords()) {
            String value = conninfo.value(keyword).orElseThrow();
            if (SAME_VALUE_PROPERTIES.containsKey(keyword)) {
                properties.put(SAME_VALUE_PROPERTIES.get(keyword), value);
            } else if (!HANDLED_ELSEWHERE.contains(keyword)) {
                throw unsupported(keyword, "pgjdbc has no equivalent");
            }
        }
        String user = conninfo.user().orElse(osUser);
        properties.put("user", user);
        properties.put("ApplicationName", applicationName);
        long connectSeconds = connectTimeoutSeconds(conninfo, timeouts.connect());
        properties.put("connectTimeout", String.valueOf(connectSeconds));
        if (connectSeconds > 0) {
            properties.put("loginTimeout", String.valueOf(connectSeconds));
        }
        properties.put("socketTimeout", String.valueOf(SessionTimeouts.secondsRoundedUp(timeouts.socketRead())));
        properties.put("tcpKeepAlive", "true");
        properties.put("options", ("-c statement_timeout=" + timeouts.node().toMillis() + " "
                + timeouts.lock().map(lock -> "-c lock_timeout=" + lock.toMillis() + " ").orElse("")
                + conninfo.value("options").orElse("")).strip());
        conninfo.value("client_encoding").ifPresent(ConninfoMapping::checkEncoding);
        conninfo.value("target_session_attrs").ifPresent(value -> properties.put("targetServerType", targetServerType(value)));
        conninfo.value("load_balance_hosts").ifPresent(value -> properties.put("loadBalanceHosts", loadBalance(value)));
        conninfo.value("keepalives").ifPresent(value -> properties.put("tcpKeepAlive", String.valueOf(!value.equals("0"))));
        String dbname = conninfo.value("dbname").filter(name -> !name.isEmpty()).orElse(user);
        String url = "jdbc:postgresql://" + hostList(conninfo) + "/" + URLEncoder.encode(dbname, StandardCharsets.UTF_8).replace("+", "%20");
        return new JdbcEndpoint(url, properties);
    }

    private static String hostList(Conninfo conninfo) {
        if (conninfo.value("host").filter(host -> !host.isEmpty()).isPresent() && conninfo.value("hostaddr").isPresent()) {
            throw unsupported("hostaddr", "pgjdbc cannot connect to hostaddr while naming host; give only one of them");
        }
        String hostText = conninfo.value("host").or(() -> conninfo.value("hostaddr")).filter(host -> !host.isEmpty())
                .orElse(Conninfo.DEFAULT_HOST);
        String[] hosts = hostText.split(",", -1);
        String[] ports = conninfo.portText().split(",", -1);
        if (ports.length != 1 && ports.length != hosts.length) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT,
                    "the conninfo " + conninfo.redacted() + " lists " + hosts.length + " hosts but " + ports.length + " ports",
                    "give one port, or one per host");
        }
        List<String> addresses = new ArrayList<>();
        for (int index = 0; index < hosts.length; index++) {
            String host = hosts[index].isEmpty() ? Conninfo.DEFAULT_HOST : hosts[index];
            if (host.startsWith("/")) {
                throw unsupported("host", "pgjdbc cannot use a Unix-domain socket directory (" + host + "); use host=127.0.0.1");
            }
            String port = ports.length == 1 ? ports[0] : ports[index];
            addresses.add((host.contains(":") ? "[" + host + "]" : host) + ":" + (port.isEmpty() ? Conninfo.DEFAULT_PORT : port));
        }
        return String.join(",", addresses);
    }

    private static long connectTimeoutSeconds(Conninfo conninfo, Duration defaultTimeout) {
        Optional<String> given = conninfo.value("connect_timeout").filter(text -> !text.isEmpty());
        if (given.isEmpty()) {
            return SessionTimeouts.secondsRoundedUp(defaultTimeout);
        }
        try {
            // libpq: 0 or negative waits forever, and 1 is treated as 2.
            long seconds = Long.parseLong(given.get().strip());
            return seconds <= 0 ? 0 : Math.max(2, seconds);
        } catch (NumberFormatException notANumber) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT,
                    "connect_timeout \"" + given.get() + "\" is not a whole number of seconds", "write e.g. connect_timeout=10");
        }
    }

    private static void checkEncoding(String encoding) {
        String normalized = encoding.replace("-", "").toUpperCase(Locale.ROOT);
        if (!normalized.equals("UTF8") && !normalized.equals("UNICODE")) {
            throw unsupported("client_encoding", "pgjdbc always talks UTF8, not " + encoding + "; remove it");
        }
    }

    private static String targetServerType(String attributes) {
        String type = TARGET_SERVER_TYPES.get(attributes);
        if (type == null) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "target_session_attrs \"" + attributes + "\" is not known",
                    "use one of " + String.join(", ", new java.util.TreeSet<>(TARGET_SERVER_TYPES.keySet())));
        }
        return type;
    }

    private static String loadBalance(String mode) {
        if (mode.equals("random")) {
            return "true";
        }
        if (mode.equals("disable")) {
            return "false";
        }
        throw new ShardmanException(ErrorCode.INVALID_INPUT, "load_balance_hosts \"" + mode + "\" is not known", "use disable or random");
    }

    private static ShardmanException unsupported(String keyword, String why) {
        return new ShardmanException(ErrorCode.INVALID_INPUT,
                "the connection keyword \"" + keyword + "\" is not supported by shardman (" + why + ")",
                "remove it from the conninfo; passwords can come from ${env:NAME} or ~/.pgpass");
    }
}
