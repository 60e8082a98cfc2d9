package dev.shardman.applier.exec;

import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The result of exec on one target.
 *
 * @param message the error or refusal (password-like values masked); empty when it went well
 * @param rowsAffected the update count of a statement that returns no rows (e.g. an UPDATE), when the server gave one
 * @param columns the column names of a statement that returns rows; empty otherwise
 * @param firstRows at most {@link ExecResultRows#SHOWN_ROWS} rows, values as text ({@code NULL} for null)
 * @param rowCount how many rows the statement returned
 */
public record TargetOutcome(String target, ExecOutcome outcome, String message, OptionalLong rowsAffected, List<String> columns,
                            List<List<String>> firstRows, long rowCount) {
    public TargetOutcome {
        requireNonNull(target, "target is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(message, "message is null");
        requireNonNull(rowsAffected, "rowsAffected is null");
        columns = List.copyOf(columns);
        firstRows = firstRows.stream().map(List::copyOf).toList();
    }

    static TargetOutcome failed(String target, ExecOutcome outcome, String message) {
        return new TargetOutcome(target, outcome, message, OptionalLong.empty(), List.of(), List.of(), 0);
    }

    /** This outcome with {@code newOutcome} (and {@code newMessage} when not empty), its rows kept. */
    TargetOutcome with(ExecOutcome newOutcome, String newMessage) {
        return new TargetOutcome(target, newOutcome, newMessage.isEmpty() ? message : newMessage, rowsAffected, columns, firstRows, rowCount);
    }
}
