package dev.shardman.cli.command;

import dev.shardman.cli.testkit.CliRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** monitor's options are checked before anything is read: a bad one is a usage error (64). */
class MonitorCommandTest {
    @Test
    void aDurationThatIsNotOneIsAUsageError() {
        CliRun run = CliRun.of("monitor", "-f", "no-such.yaml", "--interval", "5 seconds");
        assertEquals(64, run.exitCode(), run.err());
        assertTrue(run.err().contains("'5 seconds' is not a positive duration such as 500ms, 5s, 2m or 1h"), run.err());
        assertEquals(64, CliRun.of("monitor", "-f", "no-such.yaml", "--interval", "0s").exitCode());
    }

    @Test
    void aLeaseNoLongerThanTheIntervalIsAUsageError() {
        CliRun run = CliRun.of("monitor", "-f", "no-such.yaml", "--interval", "5s", "--lease", "5s");
        assertEquals(64, run.exitCode(), run.err());
        assertTrue(run.err().contains("the lease (5000 ms) must be longer than the interval (5000 ms)"), run.err());
    }
}
