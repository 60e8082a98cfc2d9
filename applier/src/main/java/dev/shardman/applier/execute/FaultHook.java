package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.CommitNotAcknowledged;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * TEST-ONLY crash points. With {@code SHARDMAN_FAULT=<step-id>@<point>} in the environment the applier kills its own
 * process with SIGKILL when step {@code <step-id>} reaches {@code <point>}; tests use it to prove that a rerun of apply
 * (or recover) finishes the work. Never set it in production. {@code SHARDMAN_PAUSE} with {@code SHARDMAN_PAUSE_FILE}
 * waits at a point instead; {@code lost-commit-reply} fakes a lost commit reply ({@link CommitNotAcknowledged}). Every
 * point: docs/internals/recovery-and-faults.md, "Fault points".
 */
public final class FaultHook {
    public static final String VARIABLE = "SHARDMAN_FAULT";
    static final String BEFORE = "before";
    static final String AFTER_COPY = "after-copy";
    static final String BEFORE_NODE_WORK = "before-node-work";
    static final String AFTER_NODE_WORK = "after-node-work";
    static final String AFTER_COMMIT = "after-commit";
    static final String LOST_COMMIT_REPLY = "lost-commit-reply";
    /** A round of the uniform flow (one step, or a {@link StepGroup}): every node PREPAREd, no decision; fired for each of its steps. */
    static final String ROUND_PREPARED = "round-prepared";
    /** A round's metadata committed with its decision, no node committed yet; fired for each of its steps. */
    static final String ROUND_COMMITTED = "round-committed";
    private static final Duration LONGEST_PAUSE = Duration.ofMinutes(10);

    private final Optional<String> target;
    private final Optional<String> pause;
    private final Optional<Path> pauseFile;

    /** The points armed in the process environment. */
    public static FaultHook fromProcess() {
        return new FaultHook(System.getenv());
    }

    public FaultHook(Map<String, String> environment) {
        this.target = Optional.ofNullable(environment.get(VARIABLE)).filter(value -> !value.isBlank());
        this.pause = Optional.ofNullable(environment.get("SHARDMAN_PAUSE")).filter(value -> !value.isBlank());
        this.pauseFile = Optional.ofNullable(environment.get("SHARDMAN_PAUSE_FILE")).filter(value -> !value.isBlank()).map(Path::of);
    }

    /** At {@code <step-id>@lost-commit-reply}: throws as a COMMIT whose reply was lost would (the commit happened). */
    void lostReply(String stepId, String point) {
        if (target.isPresent() && target.get().equals(stepId + "@" + point)) {
            throw new CommitNotAcknowledged("the shardlord did not acknowledge a metadata commit: "
                    + "An I/O error occurred while sending to the backend (test fault " + target.get() + ")", new SQLException("lost reply", "08006"));
        }
    }

    /**
     * Whether a point of {@code stepId} is armed (kill or pause), other than the round points: such a step runs alone
     * ({@link StepGroup}), so that its points are reached as its own.
     */
    boolean armedFor(String stepId) {
        return Stream.of(target, pause).flatMap(Optional::stream).anyMatch(armed -> armed.startsWith(stepId + "@")
                && !armed.equals(stepId + "@" + ROUND_PREPARED) && !armed.equals(stepId + "@" + ROUND_COMMITTED));
    }

    public void at(String stepId, String point) {
        if (pause.isPresent() && pauseFile.isPresent() && pause.get().equals(stepId + "@" + point)) {
            awaitFile(pauseFile.get());
        }
        if (target.isPresent() && target.get().equals(stepId + "@" + point)) {
            long pid = ProcessHandle.current().pid();
            try {
                new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
                Thread.sleep(10_000);
            } catch (IOException | InterruptedException unexpected) {
                Runtime.getRuntime().halt(137);
            }
            Runtime.getRuntime().halt(137);
        }
    }

    private static void awaitFile(Path file) {
        try {
            Files.writeString(file.resolveSibling(file.getFileName() + ".waiting"), Long.toString(ProcessHandle.current().pid()));
            long deadline = System.nanoTime() + LONGEST_PAUSE.toNanos();
            while (!Files.exists(file) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException unexpected) {
            throw new IllegalStateException("the test pause at " + file + " failed", unexpected);
        }
    }
}
