package dev.shardman.applier.execute;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * TEST-ONLY crash points. With {@code SHARDMAN_FAULT=<step-id>@<point>} in the environment the
 * applier kills its own process with SIGKILL when step {@code <step-id>} reaches {@code <point>}:
 * {@code before} (journaled, nothing done), {@code after-copy} (a
 * step's data copy done, e.g. MoveReplica's new copy in sync; no node transaction yet), {@code after-node-work} (node transactions prepared, no
 * decision), {@code after-commit} (metadata committed, nodes committed). Tests use it to prove that a
 * rerun of apply (or recover) finishes the work; never set it in production.
 */
final class FaultHook {
    static final String VARIABLE = "SHARDMAN_FAULT";
    static final String BEFORE = "before";
    static final String AFTER_COPY = "after-copy";
    static final String AFTER_NODE_WORK = "after-node-work";
    static final String AFTER_COMMIT = "after-commit";

    private final Optional<String> target;

    FaultHook(Map<String, String> environment) {
        this.target = Optional.ofNullable(environment.get(VARIABLE)).filter(value -> !value.isBlank());
    }

    void at(String stepId, String point) {
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
}
