package dev.shardman.planner.placement;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A copy (primary or replica) of a unit that needs a node, and why: drained off a leaving node, lost
 * with a node, a new replica (redundancy raised or a lost one replaced), or part of a new table.
 */
record Unplaced(UnitKey unit, Origin origin, Optional<String> from) {
    enum Origin { DRAIN, RECREATE, NEW_COPY, NEW_TABLE }

    Unplaced {
        requireNonNull(unit, "unit is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(from, "from is null");
    }

    static Unplaced of(UnitKey unit, Origin origin) {
        return new Unplaced(unit, origin, Optional.empty());
    }

    static Unplaced from(UnitKey unit, Origin origin, String node) {
        return new Unplaced(unit, origin, Optional.of(node));
    }
}
