package dev.shardman.applier.monitor;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The row {@code shardman.monitor_lease} in the shardlord: the monitor that holds it unexpired acts, any other
 * stands by. Each poll of the holder renews it for {@code period} (the shardlord's clock); a standby takes it once it
 * has expired, so a killed holder is replaced within one lease period and one poll interval. A holder that cannot
 * reach the shardlord keeps acting only until its own last renewal plus the period has passed (measured here, on a
 * monotonic clock, from before the renewal was sent), so that two monitors never act at once.
 */
final class MonitorLease {
    private static final String ACQUIRE = """
            INSERT INTO shardman.monitor_lease AS lease (id, holder, acquired_at, expires_at)
            VALUES (1, ?, pg_catalog.now(), pg_catalog.now() + ? * interval '1 millisecond')
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                acquired_at = CASE WHEN lease.holder = excluded.holder THEN lease.acquired_at ELSE excluded.acquired_at END
            WHERE lease.holder = excluded.holder OR lease.expires_at < pg_catalog.now()
            RETURNING holder""";
    private static final String HOLDER = "SELECT holder FROM shardman.monitor_lease WHERE id = 1";
    private static final String RELEASE = "DELETE FROM shardman.monitor_lease WHERE id = 1 AND holder = ?";

    private final String holder;
    private final Duration period;
    private long heldUntilNanos = Long.MIN_VALUE;

    MonitorLease(Duration period) {
        this.period = requireNonNull(period, "period is null");
        this.holder = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    String holder() {
        return holder;
    }

    /** Renews or takes the lease on the shardlord; true when this monitor holds it now. */
    boolean renew(Connection shardlord) throws SQLException {
        long sent = System.nanoTime();
        try (PreparedStatement statement = shardlord.prepareStatement(ACQUIRE)) {
            statement.setString(1, holder);
            statement.setLong(2, period.toMillis());
            try (ResultSet row = statement.executeQuery()) {
                boolean held = row.next();
                heldUntilNanos = held ? sent + period.toNanos() : Long.MIN_VALUE;
                return held;
            }
        }
    }

    /** Without the shardlord: whether the last renewal still covers this moment. */
    boolean stillHeld() {
        return heldUntilNanos != Long.MIN_VALUE && System.nanoTime() - heldUntilNanos < 0;
    }

    /** The monitor holding the lease, as the row names it ("" when none). */
    static String currentHolder(Connection shardlord) throws SQLException {
        try (PreparedStatement statement = shardlord.prepareStatement(HOLDER); ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getString(1) : "";
        }
    }

    /** Gives the lease up at once (a clean stop), so that a standby takes over at its next poll. */
    void release(Connection shardlord) throws SQLException {
        heldUntilNanos = Long.MIN_VALUE;
        try (PreparedStatement statement = shardlord.prepareStatement(RELEASE)) {
            statement.setString(1, holder);
            statement.executeUpdate();
        }
    }
}
