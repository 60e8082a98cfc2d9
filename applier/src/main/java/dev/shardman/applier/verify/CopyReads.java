package dev.shardman.applier.verify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The result of reading some copies on one or more nodes: the figure of every copy that could be
 * read, an error for every one that could not, and for each node read its WAL position taken after
 * its last read (every change those reads saw is at or before it).
 */
record CopyReads(Map<CopyLocation, TableChecksum> figures, List<ReadError> errors, Map<String, String> positions) {
    CopyReads {
        figures = Map.copyOf(figures);
        errors = List.copyOf(errors);
        positions = Map.copyOf(positions);
    }

    static CopyReads merge(List<CopyReads> parts) {
        Map<CopyLocation, TableChecksum> figures = new LinkedHashMap<>();
        List<ReadError> errors = new java.util.ArrayList<>();
        Map<String, String> positions = new LinkedHashMap<>();
        for (CopyReads part : parts) {
            figures.putAll(part.figures());
            errors.addAll(part.errors());
            positions.putAll(part.positions());
        }
        return new CopyReads(figures, errors, positions);
    }

    /** Nothing could be read on {@code node}: one error for the node. */
    static CopyReads failed(String node, String reason) {
        requireNonNull(reason, "reason is null");
        return new CopyReads(Map.of(), List.of(new ReadError(node, "the node", reason)), Map.of());
    }

    Optional<TableChecksum> figure(CopyLocation location) {
        return Optional.ofNullable(figures.get(location));
    }
}
