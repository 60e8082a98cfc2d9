package dev.shardman.model;

/**
 * Why a command failed, and the process exit code that says so (DESIGN.md "Interfaces").
 * The CLI maps these to exit codes in one place; nothing else calls System.exit.
 */
public enum ErrorCode {
    /** The spec, a state file or a plan file is malformed or invalid. */
    INVALID_INPUT(1),
    /** A node or the shardlord could not be reached or refused the work. */
    NODE_FAILURE(1),
    /** The requested change is refused unless a flag allows it (--allow-destroy, --allow-data-loss). */
    REFUSED(1),
    /** Anything else: a bug or an unexpected condition. */
    INTERNAL(1),
    /** Another apply holds the cluster lock. */
    LOCK_HELD(3),
    /** A saved plan was made against metadata that has changed since. */
    STALE_PLAN(4);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
