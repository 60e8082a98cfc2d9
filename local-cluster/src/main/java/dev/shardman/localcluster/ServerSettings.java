package dev.shardman.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server settings of every local instance, written to {@code shardman.conf} in the data
 * directory (included from postgresql.conf) at each start. They live in a file rather than on the
 * postgres command line so that {@code ALTER SYSTEM} can still change them (the applier sets
 * {@code synchronous_standby_names} that way); command-line settings would always win.
 *
 * <p>Sized for replicas and partition moves among about ten nodes, after pg_shardman's advice
 * (max_replication_slots 2N+1, max_wal_senders N+1, max_logical_replication_workers N+1,
 * max_worker_processes above that, prepared transactions enabled), with room for the temporary
 * slots and sync workers of concurrent moves.
 */
public final class ServerSettings {
    static final String FILE_NAME = "shardman.conf";
    static final String INCLUDE_LINE = "include_if_exists = '" + FILE_NAME + "'";

    /** Values are written as quoted strings, which PostgreSQL accepts for every type. */
    static final Map<String, String> SETTINGS = settings();

    private ServerSettings() {
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wal_level", "logical");
        settings.put("max_replication_slots", "64");
        settings.put("max_wal_senders", "64");
        settings.put("max_logical_replication_workers", "32");
        settings.put("max_sync_workers_per_subscription", "4");
        // Logical replication workers, parallel query workers and the launcher share this pool.
        settings.put("max_worker_processes", "48");
        // shardman's multi-node steps use two-phase commit (DESIGN.md).
        settings.put("max_prepared_transactions", "100");
        // PostgreSQL starts at most one apply worker per interval; the 5 s default slows every move.
        settings.put("wal_retrieve_retry_interval", "200ms");
        // A slot whose subscriber is gone must not keep WAL forever.
        settings.put("max_slot_wal_keep_size", "1GB");
        // TCP on 127.0.0.1 only (set on the command line); no Unix socket to clash in /tmp.
        settings.put("unix_socket_directories", "");
        settings.put("log_line_prefix", "%m [%p] %q%a ");
        return Collections.unmodifiableMap(settings);
    }

    /** Writes shardman.conf and makes postgresql.conf include it (once). */
    static void writeTo(Path dataDirectory) {
        try {
            Files.writeString(dataDirectory.resolve(FILE_NAME), render(), StandardCharsets.UTF_8);
            Path postgresqlConf = dataDirectory.resolve("postgresql.conf");
            String current = Files.readString(postgresqlConf, StandardCharsets.UTF_8);
            if (!current.contains(INCLUDE_LINE)) {
                Files.writeString(postgresqlConf, "\n# shardman local cluster settings\n" + INCLUDE_LINE + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the server settings in " + dataDirectory, e);
        }
    }

    /** The settings file's text: also what the container test servers load (as their config file), so that both run alike. */
    public static String render() {
        return "# Written by shardman at every start of the local cluster; edits here are lost.\n"
                + "# Use ALTER SYSTEM to override a value.\n"
                + SETTINGS.entrySet().stream()
                        .map(setting -> setting.getKey() + " = '" + setting.getValue() + "'")
                        .collect(Collectors.joining("\n", "", "\n"));
    }
}
