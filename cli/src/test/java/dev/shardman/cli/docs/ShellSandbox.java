package dev.shardman.cli.docs;

import dev.shardman.cli.testkit.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A directory in which shell text runs as an operator or a CI runner would run it: bash, with {@code shardman} on the
 * PATH and {@code ./shardman} in the directory both starting the real CLI of this build in a child JVM.
 */
public final class ShellSandbox {
    private static final int HANG_GUARD_SECONDS = 300;

    private final Path directory;
    private final Map<String, String> environment;

    /** The outcome of one script: its exit code and what it printed (stdout and stderr interleaved). */
    public record Result(int exitCode, String output) {
    }

    private ShellSandbox(Path directory, Map<String, String> environment) {
        this.directory = requireNonNull(directory, "directory is null");
        this.environment = Map.copyOf(environment);
    }

    /** A sandbox in {@code directory}, with {@code environment} added to this JVM's for every script. */
    public static ShellSandbox in(Path directory, Map<String, String> environment) throws IOException {
        Path bin = Files.createDirectories(directory.resolve(".bin"));
        writeExecutable(bin.resolve("shardman"), launcher());
        writeExecutable(directory.resolve("shardman"), launcher());
        Map<String, String> all = new HashMap<>(environment);
        all.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        all.put("NO_COLOR", "1");
        return new ShellSandbox(directory, all);
    }

    public Path directory() {
        return directory;
    }

    /** Runs {@code script} with {@code bash -eo pipefail} (GitHub Actions' default shell), {@code extra} added to the environment. */
    public Result run(String script, Map<String, String> extra) throws IOException, InterruptedException {
        Path file = Files.createTempFile(directory, "script", ".sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Path log = Files.createTempFile(directory, "script", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", file.toString()))
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().putAll(extra);
        Process process = builder.start();
        boolean ended = process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the script did not end in " + HANG_GUARD_SECONDS + " s:\n" + script + "\n" + output);
        return new Result(process.exitValue(), output);
    }

    /** The real CLI in a child JVM ({@link ChildJvm}). */
    private static String launcher() {
        return "#!/usr/bin/env bash\nexec " + ChildJvm.command().stream().map(word -> "'" + word.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" ")) + " \"$@\"\n";
    }

    private static void writeExecutable(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
