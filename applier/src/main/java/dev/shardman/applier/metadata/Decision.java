package dev.shardman.applier.metadata;

import java.util.Arrays;

/** The outcome decided for a step's prepared transactions: COMMIT PREPARED or ROLLBACK PREPARED on every node. */
public enum Decision {
    COMMIT("commit"),
    ROLLBACK("rollback");

    private final String keyword;

    Decision(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    static Decision fromKeyword(String keyword) {
        return Arrays.stream(values()).filter(decision -> decision.keyword.equals(keyword)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown decision in the shardlord metadata: " + keyword));
    }
}
