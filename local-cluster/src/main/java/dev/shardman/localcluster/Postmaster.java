package dev.shardman.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The live postmaster of a data directory, found through its {@code postmaster.pid} (line 1: the
 * pid; line 4: the port). A pid file outlives a crash and its pid may be reused, so a process only
 * counts when it is alive and looks like a {@code postgres} server of this data directory.
 */
record Postmaster(ProcessHandle process, int port) {
    static final String PID_FILE = "postmaster.pid";

    long pid() {
        return process.pid();
    }

    /** The running postmaster of {@code dataDirectory}, if any. */
    static Optional<Postmaster> find(Path dataDirectory) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDirectory.resolve(PID_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Unreadable or removed while we read it: the server is going away or was never ours.
            return Optional.empty();
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        int port = lines.size() > 3 ? parsePort(lines.get(3)) : 0;
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> isPostgresOf(process, dataDirectory))
                .map(process -> new Postmaster(process, port));
    }

    private static int parsePort(String line) {
        try {
            return Integer.parseInt(line.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * When /proc does not tell (another user's process), trust the pid file: a stale pid reused by
     * an unrelated process of another user is far less likely than a permission gap.
     */
    private static boolean isPostgresOf(ProcessHandle process, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        Optional<String> command = info.command();
        if (command.isPresent() && !Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return false;
        }
        Optional<String[]> arguments = info.arguments();
        return arguments.isEmpty() || Arrays.asList(arguments.get()).contains(dataDirectory.toString());
    }
}
