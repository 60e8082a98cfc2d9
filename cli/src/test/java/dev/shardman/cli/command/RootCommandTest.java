package dev.shardman.cli.command;

import dev.shardman.cli.command.ExitCodes;
import dev.shardman.cli.testkit.CliRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootCommandTest {
    @Test
    void helpListsSubcommandsAndExitCodes() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("validate"), run.out());
        assertTrue(run.out().contains("local"), run.out());
        assertTrue(run.out().contains("64  usage error"), run.out());
    }

    @Test
    void versionNamesShardman() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("shardman "), run.out());
    }

    @Test
    void unknownOptionIsAUsageErrorNotChangesPending() {
        CliRun run = CliRun.of("validate", "--frobnicate");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("--frobnicate"), run.err());
    }

    @Test
    void unknownSubcommandSuggestsTheClosestOne() {
        CliRun run = CliRun.of("valdate");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("validate"), run.err());
    }

    @Test
    void bareCommandIsAUsageError() {
        assertEquals(ExitCodes.USAGE, CliRun.of().exitCode());
    }
}
