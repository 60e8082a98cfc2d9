package dev.shardman.cli.render;

import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.Step;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a data move moves and between which nodes, as its progress and result lines name it:
 * {@code customers_7 w2→w4}, {@code customers_7 moved w2→w4}. The partitions are the unit's
 * ({@code customers_7, orders_7} when colocated); a replica move says {@code replica of customers_7}.
 */
public record MoveLabel(String what, String from, String to) {
    public MoveLabel {
        requireNonNull(what, "what is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
    }

    /** The label of a data-moving step of the plan; empty for any other step. */
    public static Optional<MoveLabel> of(Step step) {
        if (step instanceof MovePrimary move) {
            return Optional.of(new MoveLabel(move.unit().describe(), move.from(), move.to()));
        }
        if (step instanceof MoveReplica move) {
            return Optional.of(new MoveLabel("replica of " + move.unit().describe(), move.from(), move.to()));
        }
        return Optional.empty();
    }

    /** For a move the plan does not name (should not happen): its one-line description, no route. */
    public static MoveLabel described(String describe) {
        return new MoveLabel(describe, "", "");
    }

    /** {@code customers_7 w2→w4}. */
    public String progress() {
        return from.isEmpty() ? what : what + " " + route();
    }

    /** {@code customers_7 moved w2→w4}. */
    public String done() {
        return from.isEmpty() ? what + ": moved" : what + " moved " + route();
    }

    private String route() {
        return from + "→" + to;
    }
}
