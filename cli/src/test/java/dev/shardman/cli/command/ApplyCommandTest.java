package dev.shardman.cli.command;

import dev.shardman.cli.testkit.CliRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** apply's options are checked before the spec is read or a server reached: a bad one is a usage error (64). */
class ApplyCommandTest {
    @Test
    void aLockWaitThatIsNotAPositiveDurationIsAUsageError() {
        for (String wait : new String[] {"0s", "-5s", "soon", "5 minutes"}) {
            CliRun run = CliRun.of("apply", "-f", "no-such.yaml", "--auto-approve", "--lock-wait", wait);
            assertEquals(64, run.exitCode(), wait + ": " + run.err());
            assertTrue(run.err().contains("Invalid value for option '--lock-wait': '" + wait + "' is not a positive duration"), run.err());
        }
    }
}
