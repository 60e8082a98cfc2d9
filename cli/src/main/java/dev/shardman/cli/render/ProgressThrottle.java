package dev.shardman.cli.render;

import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether a progress event is shown: always the first one, the first of another step and the
 * first of another phase; otherwise only when {@code interval} has passed since the last one shown.
 * Times are {@link System#nanoTime()} readings (any origin, only differences count).
 */
final class ProgressThrottle {
    private final long intervalNanos;
    private String shownStep;
    private String shownPhase;
    private long shownAt;

    ProgressThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    boolean shouldShow(String step, String phase, long now) {
        boolean show = shownStep == null || !shownStep.equals(step) || !Objects.equals(shownPhase, phase)
                || now - shownAt >= intervalNanos;
        if (show) {
            shownStep = step;
            shownPhase = phase;
            shownAt = now;
        }
        return show;
    }

    /** Forget what was shown: the next event is shown. */
    void reset() {
        shownStep = null;
        shownPhase = null;
    }
}
