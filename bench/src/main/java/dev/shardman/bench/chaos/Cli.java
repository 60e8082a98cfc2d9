package dev.shardman.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar cli/target/shardman.jar ...} as a child process, its output in a log file of the round's directory,
 * so that the applier can be SIGKILLed like a real one and a hung command is ended (and reported) instead of hanging
 * the suite.
 */
final class Cli {
    /** The child's exit code when it outlived its timeout and was killed by us. */
    static final int TIMED_OUT = -1;

    private final Path jar;
    private final Path logDirectory;
    private final AtomicInteger sequence = new AtomicInteger();

    Cli(Path jar, Path logDirectory) {
        this.jar = jar;
        this.logDirectory = logDirectory;
    }

    /** A command's outcome; {@code exitCode} is {@link #TIMED_OUT} when we killed it at its timeout, 137 when SIGKILLed. */
    record Result(String command, int exitCode, long millis, Path log) {
        boolean ok() {
            return exitCode == 0;
        }

        boolean timedOut() {
            return exitCode == TIMED_OUT;
        }

        String tail(int lines) throws IOException {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        @Override
        public String toString() {
            return command + " -> " + (timedOut() ? "TIMED OUT" : "exit " + exitCode) + " in " + millis / 1000.0 + " s (" + log + ")";
        }
    }

    /** A running command. */
    final class Running {
        private final String command;
        private final Process process;
        private final Path log;
        private final long started = System.nanoTime();

        private Running(String command, Process process, Path log) {
            this.command = command;
            this.process = process;
            this.log = log;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Waits until the output has a line starting with {@code prefix}, the process ended, or {@code timeout} passed. */
        void awaitLine(String prefix, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (process.isAlive() && System.nanoTime() < deadline) {
                if (Files.readAllLines(log).stream().anyMatch(line -> line.startsWith(prefix))) {
                    return;
                }
                Thread.sleep(20);
            }
        }

        /** SIGKILL, as a crashed applier (the JVM gets no chance to clean up). */
        void kill() {
            process.destroyForcibly();
        }

        Result await(Duration timeout) throws InterruptedException {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new Result(command, finished ? process.exitValue() : TIMED_OUT, millis, log);
        }
    }

    Running start(String... arguments) throws IOException {
        String command = String.join(" ", arguments);
        Path log = logDirectory.resolve(String.format("%02d-%s.log", sequence.incrementAndGet(), arguments[0]));
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                // Short-lived JVMs on a loaded 2-core machine: C1 only and the serial collector start faster (the CLI's work is I/O).
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                jar.toString()));
        line.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        return new Running(command, process, log);
    }

    Result run(Duration timeout, String... arguments) throws IOException, InterruptedException {
        return start(arguments).await(timeout);
    }
}
