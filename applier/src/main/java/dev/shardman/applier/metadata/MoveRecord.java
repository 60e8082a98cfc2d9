package dev.shardman.applier.metadata;

import dev.shardman.model.DerivedNames;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One row of {@code shardman.moves}: the move of partition {@code index} of {@code tables} (anchor first) from
 * {@code fromNode} to {@code toNode}, where it stands and the names of its temporary objects. Names: publication
 * (on the source) and subscription (on the destination; its slot on the source has the same name)
 * {@code shardman_move_<id>}; the retired copy of partition {@code t_n} on the source
 * {@code shardman_retired.t_n_m<id>} (its indexes get the same {@code _m<id>} suffix).
 */
public record MoveRecord(long id, String stepId, String planId, List<String> tables, int index, String fromNode, String toNode,
                         MovePhase phase, Optional<Verification> verification, Optional<String> verificationDetail,
                         Optional<Boolean> retiredKept) {
    public static final String RETIRED_SCHEMA = "shardman_retired";
    public static final String NAME_PREFIX = "shardman_move_";

    /** What the comparison of the retired copy with the destination's copy at the cutover position found. */
    public enum Verification {
        /** Same row counts and checksums. */
        PASSED,
        /** They differ: the move stopped, nothing was dropped. */
        MISMATCH,
        /** The cutover snapshot was lost in a crash: the move was finished, the retired copy kept unverified. */
        LOST,
        /** A mismatch the operator accepted ({@code recover --accept-mismatch}): the move finishes, the retired copy is kept. */
        ACCEPTED;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public MoveRecord {
        requireNonNull(stepId, "stepId is null");
        requireNonNull(planId, "planId is null");
        tables = List.copyOf(tables);
        requireNonNull(fromNode, "fromNode is null");
        requireNonNull(toNode, "toNode is null");
        requireNonNull(phase, "phase is null");
        requireNonNull(verification, "verification is null");
        requireNonNull(verificationDetail, "verificationDetail is null");
        requireNonNull(retiredKept, "retiredKept is null");
    }

    /** {@code shardman_move_<id>}: the publication on the source, the subscription on the destination and its slot. */
    public String channelName() {
        return NAME_PREFIX + id;
    }

    public List<String> partitions() {
        return tables.stream().map(table -> DerivedNames.partition(table, index)).toList();
    }

    /** {@code name_m<id>}: the retired copy of partition {@code t_n} ({@code t_n_m<id>}, in {@link #RETIRED_SCHEMA}) and its indexes. */
    public String retiredName(String name) {
        return DerivedNames.retired(name, id);
    }

    /** "customers_3, orders_3 from w1 to w3". */
    public String describe() {
        return String.join(", ", partitions()) + " from " + fromNode + " to " + toNode;
    }
}
