package dev.shardman.applier.exec;

/** What exec did on one target (a node or the shardlord). */
public enum ExecOutcome {
    /** The statement ran and committed (without --2pc). */
    OK("ok", true),
    /** The statement ran, was prepared and committed with every other target's (--2pc). */
    COMMITTED("committed", true),
    /** The statement ran and was prepared, then rolled back because another target failed (--2pc). */
    ROLLED_BACK("rolled back", false),
    /** COMMIT was decided but COMMIT PREPARED failed here: {@code shardman recover} finishes it. */
    COMMIT_PENDING("commit pending", false),
    /** The server refused the statement (its error is the message); nothing of it is left. */
    FAILED("failed", false),
    /** The statement touched shardman's own objects and was rolled back. */
    REFUSED("refused", false),
    /** No session could be opened. */
    UNREACHABLE("unreachable", false);

    private final String label;
    private final boolean applied;

    ExecOutcome(String label, boolean applied) {
        this.label = label;
        this.applied = applied;
    }

    /** How the outcome reads in the report, e.g. {@code rolled back}. */
    public String label() {
        return label;
    }

    /** True when the statement's effect is committed on the target. */
    public boolean applied() {
        return applied;
    }
}
