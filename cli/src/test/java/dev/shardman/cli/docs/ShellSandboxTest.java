package dev.shardman.cli.docs;

import dev.shardman.cli.command.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sandbox the runnable docs and CI steps run in: a failing command fails the script, and the CLI prints only its own output. */
class ShellSandboxTest {
    @TempDir
    Path directory;

    @Test
    void aScriptStopsAtItsFirstFailingCommandWithItsExitCode() throws Exception {
        ShellSandbox shell = ShellSandbox.in(directory, Map.of("GREETING", "hello"));
        ShellSandbox.Result result = shell.run("echo \"$GREETING\"\n(exit 3)\necho not reached\n", Map.of());
        assertEquals(3, result.exitCode(), result.output());
        assertEquals("hello\n", result.output());
        assertEquals(1, shell.run("false | cat\n", Map.of()).exitCode(), "pipefail: a failing command in a pipe fails it");
    }

    @Test
    void shardmanOnThePathAndInTheDirectoryIsTheRealCliWithCleanStdout() throws Exception {
        ShellSandbox shell = ShellSandbox.in(directory, Map.of());
        Path spec = Path.of("../examples/cluster.yaml").toAbsolutePath();
        for (String command : new String[] {"shardman", "./shardman"}) {
            ShellSandbox.Result result = shell.run(command + " validate -f '" + spec + "' --json > out.json\n", Map.of());
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(new ObjectMapper().readTree(Files.readString(directory.resolve("out.json"))).path("valid").asBoolean(),
                    Files.readString(directory.resolve("out.json")));
        }
        ShellSandbox.Result invalid = shell.run("shardman validate -f no-such.yaml\n", Map.of());
        assertEquals(ExitCodes.ERROR, invalid.exitCode());
        assertFalse(invalid.output().isBlank());
    }
}
