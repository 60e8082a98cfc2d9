package dev.shardman.localcluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where zonky unpacks the server binaries: {@code ~/.cache/shardman/postgres} (or under
 * {@code $XDG_CACHE_HOME}), once per user and major version, shared by {@code shardman local} and
 * the test harness.
 *
 * <p>Not zonky's default {@code /tmp/embedded-pg}, for two reasons: zonky makes its working
 * directory world-writable, so in a shared /tmp another user could plant binaries that we (maybe
 * root) would then run; and /tmp cleaners delete files of long-running local clusters, whose
 * servers then cannot load postgres_fdw. Here the directory zonky opens up sits inside a parent
 * that only its owner may enter.
 */
final class BinaryCache {
    private static final Logger LOG = LoggerFactory.getLogger(BinaryCache.class);
    private static final Optional<Path> DIRECTORY = locate();

    private BinaryCache() {
    }

    /** The directory to hand to zonky; empty when no private cache can be made (zonky's default then). */
    static Optional<Path> directory() {
        return DIRECTORY;
    }

    private static Optional<Path> locate() {
        String xdgCache = System.getenv("XDG_CACHE_HOME");
        Path cache = xdgCache != null && !xdgCache.isBlank()
                ? Path.of(xdgCache)
                : Path.of(System.getProperty("user.home"), ".cache");
        Path privateParent = cache.resolve("shardman");
        try {
            Files.createDirectories(privateParent);
            Files.setPosixFilePermissions(privateParent, PosixFilePermissions.fromString("rwx------"));
            Path binaries = privateParent.resolve("postgres");
            Files.createDirectories(binaries);
            return Optional.of(binaries);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("cannot use {} for the PostgreSQL binaries ({}); falling back to {}/embedded-pg",
                    privateParent, e.getMessage(), System.getProperty("java.io.tmpdir"));
            return Optional.empty();
        }
    }
}
