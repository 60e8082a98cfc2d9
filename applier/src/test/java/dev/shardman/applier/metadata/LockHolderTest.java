package dev.shardman.applier.metadata;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockHolderTest {
    @Test
    void lockHolderDescribesItselfForTheLockHeldMessage() {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS).plusSeconds(10 * 3600 + 31 * 60 + 2);
        LockHolder holder = new LockHolder("root", "db1", 1234, 77, "apply", Optional.empty(), today);
        assertEquals("apply of root@db1 pid 1234 since 10:31:02 UTC", holder.describe());
        LockHolder old = new LockHolder("root", "db1", 1234, 77, "apply", Optional.empty(), Instant.parse("2020-01-02T03:04:05Z"));
        assertTrue(old.describe().endsWith("since 2020-01-02 03:04:05 UTC"), old.describe());
    }
}
