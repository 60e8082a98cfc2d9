package dev.shardman.model.spec;

import static java.util.Objects.requireNonNull;

/**
 * {@code settings.balance}: what the planner balances inside each replication group. Client-side planning input, not
 * part of the metadata (the same cluster may be planned either way).
 *
 * @param by {@link Mode#COUNT} (default): partition counts per node; {@link Mode#SIZE}: the partition units' bytes
 * @param tolerancePercent size mode: a node is balanced when its bytes are within this percentage of its
 *                         weight-proportional target, above or below (default 10)
 * @param baseBytes size mode: added to every unit's bytes, so that empty or tiny partitions still spread (as Citus's
 *                  {@code rebalancer_by_disk_size_base_cost}; default 100 MiB)
 */
public record BalanceSettings(Mode by, int tolerancePercent, long baseBytes) {
    public static final int DEFAULT_TOLERANCE_PERCENT = 10;
    public static final int MAXIMUM_TOLERANCE_PERCENT = 100;
    public static final long DEFAULT_BASE_BYTES = 100L * 1024 * 1024;
    public static final BalanceSettings DEFAULTS = new BalanceSettings(Mode.COUNT, DEFAULT_TOLERANCE_PERCENT, DEFAULT_BASE_BYTES);

    /** The two balance modes, with the word the spec uses for each. */
    public enum Mode {
        COUNT("count"), SIZE("size");

        private final String keyword;

        Mode(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    public BalanceSettings {
        requireNonNull(by, "by is null");
        if (tolerancePercent < 1 || tolerancePercent > MAXIMUM_TOLERANCE_PERCENT) {
            throw new IllegalArgumentException("tolerance must be between 1% and 100%: " + tolerancePercent);
        }
        if (baseBytes < 0) {
            throw new IllegalArgumentException("base bytes must not be negative: " + baseBytes);
        }
    }

    public boolean bySize() {
        return by == Mode.SIZE;
    }
}
