package dev.shardman.planner.diff;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.util.ArrayList;
import java.util.List;

/** Collects everything that makes a spec impossible to plan against a state, to report all of it at once. */
public final class Problems {
    private final List<String> messages = new ArrayList<>();

    public void add(String message) {
        messages.add(message);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Throws one {@link ErrorCode#INVALID_INPUT} naming every problem, if there is any. */
    public void throwIfAny(String file) {
        if (messages.isEmpty()) {
            return;
        }
        String summary = file + ": the spec cannot be planned against the current state ("
                + messages.size() + (messages.size() == 1 ? " problem)" : " problems)");
        throw new ShardmanException(ErrorCode.INVALID_INPUT, summary, "  - " + String.join("\n  - ", messages));
    }
}
