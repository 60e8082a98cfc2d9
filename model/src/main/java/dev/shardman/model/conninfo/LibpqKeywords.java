package dev.shardman.model.conninfo;

import java.util.Set;

/**
 * The connection keywords that libpq (PostgreSQL 15 to 18) accepts. A keyword outside this set makes
 * libpq refuse the whole string at connect time; we refuse it when the spec is read instead.
 */
final class LibpqKeywords {
    static final Set<String> ALL = Set.of(
            "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "require_auth",
            "channel_binding", "connect_timeout", "client_encoding", "options", "application_name",
            "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
            "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode", "requiressl",
            "sslnegotiation", "sslcompression", "sslcert", "sslkey", "sslkeylogfile", "sslpassword",
            "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
            "ssl_min_protocol_version", "ssl_max_protocol_version", "min_protocol_version",
            "max_protocol_version", "krbsrvname", "gsslib", "gssdelegation", "service",
            "target_session_attrs", "load_balance_hosts", "scram_client_key", "scram_server_key",
            "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope");

    /** Keywords whose values are secrets: never echoed, not even inside an error message. */
    static final Set<String> SECRET = Set.of("password", "sslpassword", "oauth_client_secret",
            "scram_client_key", "scram_server_key");

    private LibpqKeywords() {
    }

    static boolean isSecret(String keyword) {
        return SECRET.contains(keyword);
    }
}
