package dev.shardman.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunnableBlocksTest {
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
    void anUnclosedBlockIsAnErrorNamingItsLine() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RunnableBlocks.parse("page.md", "text\n```sh\n./shardman status\n"));
        assertTrue(error.getMessage().startsWith("page.md:2:"), error.getMessage());
    }
}
