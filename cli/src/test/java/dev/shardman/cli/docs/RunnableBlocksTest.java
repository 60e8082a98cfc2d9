package dev.shardman.cli.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunnableBlocksTest {
    @TempDir
    Path directory;

    @Test
    void onlyShBlocksAreRunnableWithTheirPageLine() {
        String page = """
                # Title
                ```console
                ./shardman local up
                ```
                ```sh
                ./shardman validate -f examples/cluster.yaml
                ./shardman plan -f examples/cluster.yaml || [ $? -eq 2 ]
                ```
                    indented: shown only
                1. a runbook step
                   ```sh
                   ./shardman status
                   ```
                ```yaml
                cluster: demo
                ```
                """;
        assertEquals(List.of(
                        new RunnableBlocks.Block("page.md:5", "./shardman validate -f examples/cluster.yaml\n./shardman plan -f examples/cluster.yaml || [ $? -eq 2 ]\n"),
                        new RunnableBlocks.Block("page.md:11", "   ./shardman status\n")),
                RunnableBlocks.parse("page.md", page));
    }

    @Test
    void anExpectedExitCodeIsHeldExactly() throws Exception {
        String script = RunnableBlocks.strictExitCodes("echo start\n(exit 2) || [ $? -eq 2 ]   # exit 2: drift\n");
        assertEquals("echo start\nset +e; (exit 2); code=$?; set -e; [ \"$code\" -eq 2 ] || { echo \"exit $code, expected 2\" >&2; exit 1; }\n", script);
        ShellSandbox shell = ShellSandbox.in(directory, Map.of());
        assertEquals(0, shell.run(script, Map.of()).exitCode());
        assertEquals(1, shell.run(RunnableBlocks.strictExitCodes("true || [ $? -eq 2 ]\n"), Map.of()).exitCode(),
                "exit 0 where 2 is expected fails the block");
        assertEquals(1, shell.run(RunnableBlocks.strictExitCodes("(exit 1) || [ $? -eq 2 ]\n"), Map.of()).exitCode());
    }

    @Test
    void anUnclosedBlockIsAnErrorNamingItsLine() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RunnableBlocks.parse("page.md", "text\n```sh\n./shardman status\n"));
        assertTrue(error.getMessage().startsWith("page.md:2:"), error.getMessage());
    }
}
