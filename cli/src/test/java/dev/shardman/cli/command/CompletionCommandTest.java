package dev.shardman.cli.command;

import dev.shardman.cli.ShardmanCli;
import dev.shardman.cli.command.ExitCodes;
import dev.shardman.cli.testkit.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompletionCommandTest {
    @Test
    void bashScriptHasACompletionFunctionForEverySubcommandAtEveryLevel() {
        CliRun run = CliRun.of("completion", "bash");
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        List<String> paths = new ArrayList<>();
        collectSubcommands(ShardmanCli.commandLine(), "shardman", paths);
        assertTrue(paths.containsAll(List.of("shardman plan", "shardman drift-check", "shardman completion", "shardman local up")), paths.toString());
        for (String path : paths) {
            // picocli names each command's function after its path, hyphens dropped: _picocli_shardman_local_up
            String function = "function _picocli_" + path.replace("-", "").replace(' ', '_') + "()";
            assertTrue(run.out().contains(function), "the script has no " + function + " for '" + path + "'");
        }
    }

    @Test
    void bashAcceptsTheScriptAndCompletesSubcommandsAndOptions(@TempDir Path directory) throws IOException, InterruptedException {
        Path script = Files.writeString(directory.resolve("shardman.bash"), CliRun.of("completion", "bash").out(), StandardCharsets.UTF_8);
        assertEquals("", run("bash", "-n", script.toString()));
        String completions = run("bash", "-c", "source '" + script + "' 2>/dev/null"
                + "; COMP_WORDS=(shardman dri); COMP_CWORD=1; _complete_shardman 2>/dev/null; echo \"${COMPREPLY[@]}\""
                + "; COMP_WORDS=(shardman plan --gr); COMP_CWORD=2; _complete_shardman 2>/dev/null; echo \"${COMPREPLY[@]}\"");
        assertEquals("drift-check\n--graph\n", completions);
    }

    @Test
    void zshParsesTheZshScript(@TempDir Path directory) throws IOException, InterruptedException {
        assumeTrue(onPath("zsh"), "zsh is not installed here (apt-get install zsh); bash checks the same script above");
        CliRun zsh = CliRun.of("completion", "zsh");
        assertEquals(ExitCodes.SUCCESS, zsh.exitCode(), zsh.err());
        Path script = Files.writeString(directory.resolve("shardman.zsh"), zsh.out(), StandardCharsets.UTF_8);
        assertEquals("", run("zsh", "-n", script.toString()));
    }

    @Test
    void anotherShellIsAUsageError() {
        CliRun run = CliRun.of("completion", "fish");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("unknown shell 'fish': use bash or zsh"), run.err());
        assertEquals("", run.out());
    }

    private static void collectSubcommands(CommandLine command, String path, List<String> paths) {
        command.getSubcommands().forEach((name, subcommand) -> {
            paths.add(path + " " + name);
            collectSubcommands(subcommand, path + " " + name, paths);
        });
    }

    /** Runs a program to its end (60 s at most) and returns its output; fails on a non-zero exit. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish in 60 s");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
