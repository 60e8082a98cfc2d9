package dev.shardman.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runnable shell blocks of a Markdown page: fenced with exactly {@code ```sh} (other fences, {@code ```console},
 * {@code ```text}, {@code ```yaml}, are shown only). docs/README.md states the convention for writers.
 */
final class RunnableBlocks {
    static final String OPENING = "```sh";
    private static final String CLOSING = "```";

    /** One block: where it starts ({@code page:line}, for failure messages) and its text. */
    record Block(String location, String script) {
    }

    private RunnableBlocks() {
    }

    static List<Block> of(Path page) throws IOException {
        return parse(page.toString(), Files.readString(page, StandardCharsets.UTF_8));
    }

    static List<Block> parse(String pageName, String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            if (!lines[index].strip().equals(OPENING)) {
                continue;
            }
            int start = index;
            StringBuilder script = new StringBuilder();
            for (index++; index < lines.length && !lines[index].strip().equals(CLOSING); index++) {
                script.append(lines[index]).append('\n');
            }
            if (index == lines.length) {
                throw new IllegalArgumentException(pageName + ":" + (start + 1) + ": the sh block is not closed");
            }
            blocks.add(new Block(pageName + ":" + (start + 1), script.toString()));
        }
        return List.copyOf(blocks);
    }
}
