package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts one instance through zonky's {@link EmbeddedPostgres} (initdb on first start, then
 * {@code pg_ctl start}; zonky wraps both in {@code unshare -U} when run as root, because
 * PostgreSQL refuses to run as root). The server is left running when the JVM exits: no shutdown
 * hook, data directory kept, output appended to the instance's log file rather than a pipe that
 * would close with the JVM.
 *
 * <p>zonky locks {@code epg-lock} in the data directory for as long as its object lives, and a
 * second lock of the same file in one JVM fails; so the objects this JVM started are remembered
 * and closed (which stops the server with {@code pg_ctl stop -m fast}) before a restart or by
 * {@code down}.
 */
final class InstanceStarter {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceStarter.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Map<Path, EmbeddedPostgres> STARTED_IN_THIS_JVM = new ConcurrentHashMap<>();

    private InstanceStarter() {
    }

    static void start(InstanceLayout instance, PostgresMajorVersion major) {
        releaseStaleObject(instance.dataDirectory());
        try {
            Files.createDirectories(instance.dataDirectory());
            if (!Files.exists(instance.dataDirectory().resolve("postgresql.conf"))) {
                QuickInitdb.initialise(instance, major); // zonky runs its own initdb if the directory is still empty
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            BinaryCache.directory().ifPresent(directory -> builder.setOverrideWorkingDirectory(directory.toFile()));
            EmbeddedPostgres server = builder
                    .setPgBinaryResolver(new MajorVersionBinaryResolver(major))
                    .setDataDirectory(instance.dataDirectory())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(instance.port())
                    .setLocaleConfig("locale", "C")
                    .setServerConfig("listen_addresses", Conninfo.HOST)
                    // zonky turns synchronous_commit off by default; shardman's replication needs the server default.
                    .setServerConfig("synchronous_commit", "on")
                    .setDataDirectoryCustomizer(dataDirectory -> ServerSettings.writeTo(dataDirectory.toPath()))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(instance.logFile().toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(instance.logFile().toFile()))
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
            STARTED_IN_THIS_JVM.put(instance.dataDirectory(), server);
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            throw startFailed(instance, major, e);
        }
    }

    /**
     * Closes the zonky object of a server this JVM started, which stops the server if it still
     * runs. Returns false when this JVM did not start it.
     */
    static boolean stopStartedInThisJvm(Path dataDirectory) {
        EmbeddedPostgres server = STARTED_IN_THIS_JVM.remove(dataDirectory);
        if (server == null) {
            return false;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the server of {} failed: {}", dataDirectory, e.getMessage());
        }
        return true;
    }

    /** The server died or was stopped by another process: release zonky's lock before restarting. */
    private static void releaseStaleObject(Path dataDirectory) {
        if (STARTED_IN_THIS_JVM.containsKey(dataDirectory)) {
            LOG.info("releasing the previous server object of {} before restarting it", dataDirectory);
            stopStartedInThisJvm(dataDirectory);
        }
    }

    private static LocalClusterException startFailed(InstanceLayout instance, PostgresMajorVersion major, Throwable cause) {
        String logTail = tail(instance.logFile(), 15);
        boolean portTaken = logTail.contains("could not bind") || logTail.contains("Address already in use");
        if (portTaken) {
            return new LocalClusterException(LocalClusterException.Reason.PORT_IN_USE, ErrorCode.NODE_FAILURE,
                    instance.name() + " could not listen on 127.0.0.1:" + instance.port() + ": the port is in use",
                    "choose other ports with --base-port, or stop the program that listens on port " + instance.port(),
                    cause);
        }
        return new LocalClusterException(LocalClusterException.Reason.START_FAILED, ErrorCode.NODE_FAILURE,
                instance.name() + " (" + major + ", port " + instance.port() + ") did not start: " + cause.getMessage(),
                "see " + instance.logFile() + (logTail.isEmpty() ? "" : "; it ends with:\n" + logTail),
                cause);
    }

    static String tail(Path file, int lineCount) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - lineCount), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
