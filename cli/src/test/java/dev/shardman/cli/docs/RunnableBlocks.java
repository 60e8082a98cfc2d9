package dev.shardman.cli.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable shell blocks of a Markdown page: fenced with exactly {@code ```sh} (other fences, {@code ```console},
 * {@code ```text}, {@code ```yaml}, are shown only). docs/README.md states the convention for writers.
 */
public final class RunnableBlocks {
    public static final String OPENING = "```sh";
    private static final String CLOSING = "```";
    private static final Pattern EXPECTED_EXIT = Pattern.compile("^(\\s*)(.+?)\\s+\\|\\|\\s+\\[ \\$\\? -eq (\\d+) \\](\\s+#.*)?$", Pattern.MULTILINE);

    /** One block: where it starts ({@code page:line}, for failure messages) and its text. */
    public record Block(String location, String script) {
    }

    private RunnableBlocks() {
    }

    /**
     * {@code script} with each {@code COMMAND || [ $? -eq N ]} line (how a block says a command exits N) held to exactly N: a
     * reader's shell also lets exit 0 through, the test does not.
     */
    public static String strictExitCodes(String script) {
        Matcher line = EXPECTED_EXIT.matcher(script);
        StringBuilder result = new StringBuilder();
        while (line.find()) {
            line.appendReplacement(result, Matcher.quoteReplacement(line.group(1) + "set +e; " + line.group(2) + "; code=$?; set -e; [ \"$code\" -eq "
                    + line.group(3) + " ] || { echo \"exit $code, expected " + line.group(3) + "\" >&2; exit 1; }"));
        }
        line.appendTail(result);
        return result.toString();
    }

    public static List<Block> of(Path page) throws IOException {
        return parse(page.toString(), Files.readString(page, StandardCharsets.UTF_8));
    }

    public static List<Block> parse(String pageName, String markdown) {
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
