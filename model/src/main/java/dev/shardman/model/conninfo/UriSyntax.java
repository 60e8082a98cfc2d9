package dev.shardman.model.conninfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * libpq's URI conninfo syntax:
 * {@code postgresql://[user[:password]@][host][:port][,host[:port]...][/dbname][?keyword=value&...]},
 * with percent-encoding. The result is the same pairs the keyword=value syntax would give.
 * Delimiters are searched in a masked copy so that a {@code ${env:NAME}} reference may stand
 * anywhere (its {@code :} is not a port separator).
 */
final class UriSyntax {
    private static final List<String> SCHEMES = List.of("postgresql://", "postgres://");

    private UriSyntax() {
    }

    static boolean isUri(String text) {
        return SCHEMES.stream().anyMatch(text::startsWith);
    }

    static List<ConninfoParameter> parse(String text) {
        String scheme = SCHEMES.stream().filter(text::startsWith).findFirst().orElseThrow();
        String rest = text.substring(scheme.length());
        String masked = EnvironmentReferences.mask(rest);
        List<ConninfoParameter> parameters = new ArrayList<>();
        int queryStart = indexOr(masked, '?', masked.length());
        int pathStart = indexOr(masked.substring(0, queryStart), '/', queryStart);
        String authority = rest.substring(0, pathStart);
        int at = masked.substring(0, pathStart).lastIndexOf('@');
        if (at >= 0) {
            addUserInfo(rest.substring(0, at), masked.substring(0, at), parameters);
        }
        addHosts(authority.substring(at + 1), masked.substring(at + 1, pathStart), parameters);
        if (pathStart + 1 < queryStart) {
            parameters.add(new ConninfoParameter("dbname", decode(rest.substring(pathStart + 1, queryStart))));
        }
        if (queryStart + 1 < rest.length()) {
            addQuery(rest.substring(queryStart + 1), parameters);
        }
        return parameters;
    }

    private static void addUserInfo(String userInfo, String masked, List<ConninfoParameter> parameters) {
        int colon = masked.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        if (!user.isEmpty()) {
            parameters.add(new ConninfoParameter("user", decode(user)));
        }
        if (colon >= 0) {
            parameters.add(new ConninfoParameter("password", decode(userInfo.substring(colon + 1))));
        }
    }

    private static void addHosts(String hostList, String masked, List<ConninfoParameter> parameters) {
        if (hostList.isEmpty()) {
            return;
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        int start = 0;
        for (String maskedHost : masked.split(",", -1)) {
            String host = hostList.substring(start, start + maskedHost.length());
            start += maskedHost.length() + 1;
            int portColon = maskedHost.startsWith("[") ? maskedHost.indexOf(':', maskedHost.indexOf(']'))
                    : maskedHost.lastIndexOf(':');
            String name = portColon < 0 ? host : host.substring(0, portColon);
            hosts.add(decode(name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name));
            ports.add(portColon < 0 ? "" : host.substring(portColon + 1));
        }
        if (hosts.stream().anyMatch(host -> !host.isEmpty())) {
            parameters.add(new ConninfoParameter("host", String.join(",", hosts)));
        }
        if (ports.stream().anyMatch(port -> !port.isEmpty())) {
            parameters.add(new ConninfoParameter("port", String.join(",", ports)));
        }
    }

    private static void addQuery(String query, List<ConninfoParameter> parameters) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals < 0) {
                // Only a known, non-secret keyword is echoed: the text could be a misplaced password.
                String name = decode(pair);
                String shown = LibpqKeywords.ALL.contains(name) && !LibpqKeywords.isSecret(name) ? " \"" + name + "\"" : "";
                throw Conninfo.invalid("a URI parameter" + shown + " has no \"=value\"", "write ?keyword=value&keyword=value");
            }
            String keyword = decode(pair.substring(0, equals));
            String value = decode(pair.substring(equals + 1));
            // libpq accepts the JDBC spelling ssl=true and reads it as sslmode=require.
            if (keyword.equals("ssl") && value.equals("true")) {
                parameters.add(new ConninfoParameter("sslmode", "require"));
            } else {
                parameters.add(new ConninfoParameter(keyword, value));
            }
        }
    }

    private static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int index = 0;
        while (index < text.length()) {
            int percent = indexOr(text.substring(index), '%', text.length() - index) + index;
            bytes.writeBytes(text.substring(index, percent).getBytes(StandardCharsets.UTF_8));
            if (percent == text.length()) {
                break;
            }
            if (percent + 2 >= text.length() || Character.digit(text.charAt(percent + 1), 16) < 0
                    || Character.digit(text.charAt(percent + 2), 16) < 0) {
                throw Conninfo.invalid("the URI has a \"%\" that is not followed by two hex digits",
                        "percent-encode special characters, e.g. %40 for @");
            }
            bytes.write(Integer.parseInt(text.substring(percent + 1, percent + 3), 16));
            index = percent + 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int indexOr(String text, char character, int fallback) {
        int index = text.indexOf(character);
        return index < 0 ? fallback : index;
    }
}
