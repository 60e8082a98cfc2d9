package dev.shardman.applier.metadata;

import java.util.Arrays;

/**
 * The phases of a primary move, in order, as stored in {@code shardman.moves.phase}; each is written and committed
 * before it starts. {@link #DONE} and {@link #ROLLED_BACK} end a move. {@link #text()} is also the name of the
 * phase's fault point ({@code SHARDMAN_FAULT=<step id>@<phase>}, and {@code @<phase>-done} once it finished).
 */
public enum MovePhase {
    COPY("copy"),
    CATCH_UP("catch-up"),
    CUTOVER("cutover"),
    VERIFY("verify"),
    SWITCH_DESTINATION("switch-destination"),
    SWITCH_OTHERS("switch-others"),
    COMMIT("commit"),
    CLEANUP("cleanup"),
    DONE("done"),
    ROLLED_BACK("rolled-back");

    private final String text;

    MovePhase(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Whether the source's cutover transaction may have committed: from here on a move is finished, never rolled back. */
    public boolean pastCutover() {
        return compareTo(VERIFY) >= 0 && this != ROLLED_BACK;
    }

    public boolean finished() {
        return this == DONE || this == ROLLED_BACK;
    }

    public static MovePhase parse(String text) {
        return Arrays.stream(values()).filter(phase -> phase.text.equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown move phase " + text));
    }
}
