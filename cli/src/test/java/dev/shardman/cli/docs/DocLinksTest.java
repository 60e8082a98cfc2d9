package dev.shardman.cli.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every relative link of README.md and docs/*.md reaches a file, and every #anchor a heading of it (GitHub's slugs). */
class DocLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+)$", Pattern.MULTILINE);

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher link = LINK.matcher(withoutCode(Files.readString(page, StandardCharsets.UTF_8)));
            while (link.find()) {
                String target = link.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (target.contains("#") && !anchors(resolved).contains(target.substring(target.indexOf('#') + 1))) {
                    broken.add(page + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static List<String> anchors(Path page) throws IOException {
        if (!page.toString().endsWith(".md")) {
            return List.of();
        }
        List<String> anchors = new ArrayList<>();
        Matcher heading = HEADING.matcher(withoutCode(Files.readString(page, StandardCharsets.UTF_8)));
        while (heading.find()) {
            anchors.add(slug(heading.group(1)));
        }
        return anchors;
    }

    /** The page without fenced blocks, where '#' starts a comment and "](" is not a link. */
    private static String withoutCode(String markdown) {
        return markdown.replaceAll("(?ms)^\\s*```.*?^\\s*```\\s*$", "");
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            return Stream.concat(Stream.of(Path.of("../README.md")), docs.filter(path -> path.toString().endsWith(".md")).sorted()).toList();
        }
    }
}
