package dev.shardman.localcluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** libpq and JDBC addresses of local instances: always 127.0.0.1, user postgres, trust authentication. */
public final class Conninfo {
    public static final String HOST = "127.0.0.1";
    public static final String SUPERUSER = "postgres";

    private Conninfo() {
    }

    /** A libpq connection string, e.g. {@code host=127.0.0.1 port=17431 dbname=postgres user=postgres}. */
    public static String of(int port, String database) {
        return "host=" + HOST + " port=" + port + " dbname=" + quoteValue(database) + " user=" + SUPERUSER;
    }

    /** libpq's quoting: a value with spaces, quotes or backslashes goes in single quotes, escaped. */
    static String quoteValue(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '\'' || c == '\\')) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The pgjdbc URL of the same database. */
    public static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }
}
