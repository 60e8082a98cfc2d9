package dev.shardman.localcluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One initdb's data directory per server binaries and initdb command, kept beside the binaries and copied for each
 * new instance: a copy costs 0.15 s of one core where initdb took 0.9 s (PostgreSQL 17, 2 cores), and a test run starts
 * hundreds of instances. Made once (in a private directory, then renamed into place, so a reader never sees half of
 * one and two makers do not clash) and never started or changed after; each copy gets its own system identifier.
 */
final class DataDirectoryTemplate {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryTemplate.class);
    private static final String MAKING = ".making-";

    private DataDirectoryTemplate() {
    }

    /** The template at {@code template}, made with {@code initdb} (run by the caller into the directory given) if it does not exist yet. */
    static synchronized Optional<Path> ensure(Path template, InitdbRun initdb) {
        if (!made(template)) {
            removeDeadMakers(template);
            Path making = template.resolveSibling(template.getFileName() + MAKING + ProcessHandle.current().pid());
            try {
                deleteRecursively(making);
                Files.createDirectories(making);
                if (initdb.into(making)) {
                    Files.move(making, template, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                // another process may have renamed its template into place first: theirs is as good
                LOG.debug("did not make the data directory template {}: {}", template, e.getMessage());
            }
            deleteQuietly(making);
        }
        return made(template) ? Optional.of(template) : Optional.empty();
    }

    private static boolean made(Path template) {
        return Files.isRegularFile(template.resolve("global").resolve("pg_control"));
    }

    /** Half-made templates of processes that died before renaming theirs. */
    private static void removeDeadMakers(Path template) {
        String prefix = template.getFileName() + MAKING;
        try (Stream<Path> siblings = Files.list(template.getParent())) {
            siblings.filter(sibling -> sibling.getFileName().toString().startsWith(prefix)).forEach(sibling -> {
                String pid = sibling.getFileName().toString().substring(prefix.length());
                if (pid.matches("\\d{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    deleteQuietly(sibling);
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", template.getParent(), e.getMessage());
        }
    }

    /** Copies {@code template} into the empty {@code dataDirectory} and gives the copy its own system identifier; false if either failed. */
    static boolean copyTo(Path template, Path dataDirectory) {
        try {
            Files.walkFileTree(template, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                    Path target = dataDirectory.resolve(template.relativize(directory).toString());
                    if (!Files.isDirectory(target)) {
                        Files.createDirectory(target);
                    }
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.copy(file, dataDirectory.resolve(template.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
            return SystemIdentifier.renew(dataDirectory);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot copy the data directory template {} to {}: {}", template, dataDirectory, e.getMessage());
            return false;
        }
    }

    /** Runs initdb into an empty directory; true when it succeeded. */
    interface InitdbRun {
        boolean into(Path directory);
    }

    private static void deleteQuietly(Path directory) {
        try {
            deleteRecursively(directory);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", directory, e.getMessage());
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
