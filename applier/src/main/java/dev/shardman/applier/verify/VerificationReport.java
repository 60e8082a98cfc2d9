package dev.shardman.applier.verify;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What {@code shardman verify} found at metadata serial {@code serial}: the first reading of every
 * source copy (every partition's primary, every shared table's master data), one comparison per
 * replica and per shared copy whose source and copy could both be read, and every copy that could not
 * be read. Consistent = no mismatch and no error.
 */
public record VerificationReport(String cluster, String lineage, long serial, List<SourceFigure> sources, List<Comparison> comparisons,
                                 List<ReadError> errors) {
    public VerificationReport {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(lineage, "lineage is null");
        sources = List.copyOf(sources);
        comparisons = List.copyOf(comparisons);
        errors = List.copyOf(errors);
    }

    public List<Comparison> mismatches() {
        return comparisons.stream().filter(comparison -> !comparison.matches()).toList();
    }

    public boolean consistent() {
        return errors.isEmpty() && comparisons.stream().allMatch(Comparison::matches);
    }
}
