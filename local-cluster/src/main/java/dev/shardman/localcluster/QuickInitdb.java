package dev.shardman.localcluster;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The initdb zonky runs, with {@code --no-sync}: zonky starts every server with fsync off ({@code -F}), so initdb's
 * closing fsync of each file it wrote buys nothing, and on a slow disk it was most of an instance's start (initdb 3.5-4.8 s
 * against 1.2-2.2 s without it, 2 cores). Runs the unpacked binaries of the major version; before zonky has unpacked them
 * (a machine's first start), or if this initdb fails, zonky's own initdb runs as before. An instance's directory is a copy
 * of one such initdb's ({@link DataDirectoryTemplate}) when that works, else its own initdb's.
 */
final class QuickInitdb {
    private static final Logger LOG = LoggerFactory.getLogger(QuickInitdb.class);
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private static final long TIMEOUT_SECONDS = 300;
    private static final Map<PostgresMajorVersion, Path> INITDB = new ConcurrentHashMap<>();
    /** zonky's initdb arguments (trust, user postgres, UTF-8, C locale) and --no-sync. */
    private static final List<String> ARGUMENTS = List.of("-A", "trust", "-U", "postgres", "-E", "UTF-8", "--locale=C", "--no-sync");
    /** Beside the unpacked binaries in the binary cache: {@link DataDirectoryTemplate}. */
    private static final String TEMPLATES = "data-directory-templates";

    private QuickInitdb() {
    }

    /** Initialises {@code instance}'s empty data directory, or leaves it empty for zonky's own initdb. */
    static void initialise(InstanceLayout instance, PostgresMajorVersion major) {
        Optional<Path> initdb = initdb(major);
        if (initdb.isEmpty()) {
            return;
        }
        Path dataDirectory = instance.dataDirectory();
        // the template's name says which binaries and which initdb made it
        Path binaries = initdb.get().getParent().getParent();
        Path template = binaries.resolveSibling(TEMPLATES)
                .resolve(binaries.getFileName() + "-" + Integer.toHexString(String.join(" ", ARGUMENTS).hashCode()));
        Optional<Path> made = DataDirectoryTemplate.ensure(template, directory -> run(initdb.get(), directory, instance));
        if (made.isPresent() && DataDirectoryTemplate.copyTo(made.get(), dataDirectory)) {
            return;
        }
        emptyQuietly(dataDirectory);
        if (!run(initdb.get(), dataDirectory, instance)) {
            emptyQuietly(dataDirectory);
        }
    }

    /** Runs initdb into {@code directory}, its output in the instance's log; true when it succeeded. */
    private static boolean run(Path initdb, Path directory, InstanceLayout instance) {
        List<String> command = new ArrayList<>(LinuxUtils.isUnshareAvailable() ? List.of("unshare", "-U") : List.of());
        command.add(initdb.toString());
        command.addAll(ARGUMENTS);
        command.addAll(List.of("-D", directory.toString()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.logFile().toFile())).start();
            if (process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return true;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly); // its postgres --boot would write on into the directory
            process.destroyForcibly();
            LOG.warn("initdb of {} failed (see {}); zonky's initdb runs instead", instance.name(), instance.logFile());
        } catch (IOException e) {
            LOG.warn("initdb of {} could not run ({}); zonky's initdb runs instead", instance.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The unpacked initdb of {@code major} under the binary cache, found once per JVM. */
    private static Optional<Path> initdb(PostgresMajorVersion major) {
        Path known = INITDB.get(major);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Path> cache = BinaryCache.directory();
        if (cache.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> unpacked = Files.list(cache.get())) {
            for (Path initdb : unpacked.map(directory -> directory.resolve("bin").resolve("initdb")).filter(Files::isExecutable).toList()) {
                if (majorOf(initdb) == major.number()) {
                    INITDB.put(major, initdb);
                    return Optional.of(initdb);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", cache.get(), e.getMessage());
        }
        return Optional.empty();
    }

    /** {@code initdb --version}'s major version, 0 when it does not say. */
    private static int majorOf(Path initdb) {
        try {
            Process process = new ProcessBuilder(initdb.toString(), "--version").redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) { // one short line: it fits the pipe, so waiting before reading cannot block
                process.destroyForcibly();
                return 0;
            }
            Matcher version = VERSION.matcher(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void emptyQuietly(Path dataDirectory) {
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            paths.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(dataDirectory)).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot empty {}: {}", dataDirectory, e.getMessage());
        }
    }
}
