package dev.shardman.cli.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real command line in a child JVM: its own environment (e.g. the {@code ${env:}} passwords of a spec), output in a log. */
public final class ChildCli {
    /**
     * How long a child command may take before the test calls it hung: a guard against a hang, not a claim about
     * speed, so it holds on a machine many times oversubscribed (a move's apply took over 120 s at load 37 on 2 cores).
     */
    public static final int HANG_GUARD_SECONDS = 600;

    private ChildCli() {
    }

    /** Runs shardman with {@code arguments}, asserts its exit code and returns its output (stdout and stderr). */
    public static String run(Path directory, Map<String, String> environment, int exitCode, String... arguments)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(directory, "run", ".log");
        Process process = start(log, environment, arguments);
        boolean ended = process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(ended, String.join(" ", arguments) + " did not end in " + HANG_GUARD_SECONDS + " s: " + output);
        assertEquals(exitCode, process.exitValue(), String.join(" ", arguments) + ": " + output);
        return output;
    }

    /** Starts shardman with {@code arguments} and the test-only {@code environment}; its output goes to {@code log}. */
    public static Process start(Path log, Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(ChildJvm.command());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * Waits until {@code file} exists (and, with {@code text} not null, contains it) while {@code child} runs, e.g. the
     * {@code .waiting} file of a {@code SHARDMAN_PAUSE} point or a line in the child's own {@code log}.
     */
    public static void awaitFile(Path file, String text, Process child, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        while (!Files.exists(file) || text != null && !Files.readString(file).contains(text)) {
            assertTrue(child.isAlive(), "the child ended before " + file.getFileName() + " showed " + text + ":\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, file.getFileName() + " did not show " + text + ":\n" + Files.readString(log));
            Thread.sleep(50);
        }
    }
}
