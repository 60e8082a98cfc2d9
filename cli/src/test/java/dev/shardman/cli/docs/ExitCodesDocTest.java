package dev.shardman.cli.docs;

import dev.shardman.cli.command.ExitCodes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exit-code table of docs/operations.md has one row for each code of {@link ExitCodes}, and no other. */
class ExitCodesDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\|", Pattern.MULTILINE);

    @Test
    void theTableListsEveryExitCode() throws IOException, IllegalAccessException {
        String page = Files.readString(Path.of("../docs/operations.md"), StandardCharsets.UTF_8);
        String section = page.substring(page.indexOf("\n## Exit codes\n"), page.indexOf("\n## ", page.indexOf("\n## Exit codes\n") + 1));
        Set<Integer> documented = new TreeSet<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            documented.add(Integer.parseInt(row.group(1)));
        }
        Set<Integer> codes = new TreeSet<>();
        for (Field field : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                codes.add(field.getInt(null));
            }
        }
        assertEquals(codes, documented);
    }
}
