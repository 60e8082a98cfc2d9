package dev.shardman.applier.execute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * TEST-ONLY crash and pause points. With {@code SHARDMAN_FAULT=<step-id>@<point>} in the environment the
 * applier kills its own process with SIGKILL when step {@code <step-id>} reaches {@code <point>}. Tests use it to
 * prove that a rerun of apply (or recover) finishes the work; never set it in production.
 *
 * <p>With {@code SHARDMAN_PAUSE=<step-id>@<point>} and {@code SHARDMAN_PAUSE_FILE=<path>} the applier instead
 * creates {@code <path>.reached} at that point and waits (at most {@link #PAUSE_LIMIT}, then it fails the step)
 * until {@code <path>} exists, so that a test can do something to a node at that exact moment (e.g. SIGSTOP it
 * while the step's sessions are open).
 *
 * <p>Every step: {@code before} (journaled, nothing done). Steps run by {@link StepRunner}'s uniform flow:
 * {@code after-copy} (the executor's data copy done, e.g. MoveReplica's new copy in sync; no node transaction yet),
 * {@code before-node-work} (a session open on every affected node, nothing done in them yet),
 * {@code after-node-work} (node transactions prepared, no decision), {@code after-commit} (metadata committed,
 * nodes committed).
 *
 * <p>MovePrimary ({@code move-primary:<anchor>_<n>}, e.g. {@code move-primary:customers_3}), see
 * {@code applier.move.MoveRunner}: each phase at its start, after the phase is committed in {@code shardman.moves}:
 * {@code copy}, {@code catch-up}, {@code cutover}, {@code verify}, {@code switch-destination}, {@code switch-others},
 * {@code commit}, {@code cleanup}; and each once it finished: {@code copy-done}, {@code catch-up-done},
 * {@code cutover-done} (the source's cutover committed, its snapshot not compared yet: a resume keeps the retired
 * copy unverified), {@code verify-done}, {@code switch-destination-done}, {@code switch-others-done},
 * {@code commit-done} (metadata committed, channels not moved yet), {@code cleanup-done} (move finished).
 */
public final class FaultHook {
    public static final String VARIABLE = "SHARDMAN_FAULT";
    public static final String PAUSE_VARIABLE = "SHARDMAN_PAUSE";
    public static final String PAUSE_FILE_VARIABLE = "SHARDMAN_PAUSE_FILE";
    /** A paused applier gives up after this long: a test that never releases it must not hang forever. */
    static final Duration PAUSE_LIMIT = Duration.ofMinutes(5);
    static final String BEFORE = "before";
    static final String AFTER_COPY = "after-copy";
    static final String BEFORE_NODE_WORK = "before-node-work";
    static final String AFTER_NODE_WORK = "after-node-work";
    static final String AFTER_COMMIT = "after-commit";

    private final Optional<String> target;
    private final Optional<String> pause;
    private final Optional<Path> pauseFile;

    public FaultHook(Map<String, String> environment) {
        this.target = Optional.ofNullable(environment.get(VARIABLE)).filter(value -> !value.isBlank());
        this.pause = Optional.ofNullable(environment.get(PAUSE_VARIABLE)).filter(value -> !value.isBlank());
        this.pauseFile = Optional.ofNullable(environment.get(PAUSE_FILE_VARIABLE)).filter(value -> !value.isBlank()).map(Path::of);
    }

    public void at(String stepId, String point) {
        if (pause.isPresent() && pause.get().equals(stepId + "@" + point)) {
            awaitRelease(pauseFile.orElseThrow(() -> new IllegalStateException(PAUSE_VARIABLE + " is set without " + PAUSE_FILE_VARIABLE)));
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

    private static void awaitRelease(Path release) {
        try {
            Files.writeString(release.resolveSibling(release.getFileName() + ".reached"), Long.toString(ProcessHandle.current().pid()));
            long deadline = System.nanoTime() + PAUSE_LIMIT.toNanos();
            while (!Files.exists(release)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("test pause: " + release + " did not appear within " + PAUSE_LIMIT.toMinutes() + " min");
                }
                Thread.sleep(50);
            }
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("test pause interrupted", interrupted);
        }
    }
}
