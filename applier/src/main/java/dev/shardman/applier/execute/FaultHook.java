package dev.shardman.applier.execute;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * TEST-ONLY crash points. With {@code SHARDMAN_FAULT=<step-id>@<point>} in the environment the
 * applier kills its own process with SIGKILL when step {@code <step-id>} reaches {@code <point>}. Tests use it to
 * prove that a rerun of apply (or recover) finishes the work; never set it in production.
 *
 * <p>Every step: {@code before} (journaled, nothing done). Steps run by {@link StepRunner}'s uniform flow:
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
    static final String BEFORE = "before";
    static final String AFTER_NODE_WORK = "after-node-work";
    static final String AFTER_COMMIT = "after-commit";

    private final Optional<String> target;

    public FaultHook(Map<String, String> environment) {
        this.target = Optional.ofNullable(environment.get(VARIABLE)).filter(value -> !value.isBlank());
    }

    public void at(String stepId, String point) {
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
