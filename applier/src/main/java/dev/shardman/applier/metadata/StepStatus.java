package dev.shardman.applier.metadata;

import java.util.Arrays;

/**
 * Where a journaled step run stands. {@code STARTED} until it ends as {@code DONE} or {@code FAILED};
 * a step that uses two-phase commit goes {@code STARTED → PREPARED → COMMITTED | ROLLED_BACK}, where
 * the last two mean the decision is durable in the shardlord (recover finishes the nodes from it).
 */
public enum StepStatus {
    STARTED("started"),
    DONE("done"),
    FAILED("failed"),
    PREPARED("prepared"),
    COMMITTED("committed"),
    ROLLED_BACK("rolled_back");

    private final String keyword;

    StepStatus(String keyword) {
        this.keyword = keyword;
    }

    /** The value stored in {@code shardman.journal.status}. */
    public String keyword() {
        return keyword;
    }

    static StepStatus fromKeyword(String keyword) {
        return Arrays.stream(values()).filter(status -> status.keyword.equals(keyword)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown journal status in the shardlord metadata: " + keyword));
    }
}
