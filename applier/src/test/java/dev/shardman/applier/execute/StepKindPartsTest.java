package dev.shardman.applier.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepKinds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every step kind has all its parts: the record (a permitted subclass of {@link Step}, with its state transition
 * {@code applyTo}, which the compiler demands), an executor in {@link StepExecutors}, a golden case whose plan holds
 * it (the golden suite projects every plan, so the case also runs the transition), and a one-line description that
 * the plan text prints. A new kind that lacks one fails here, naming the kind and the part.
 */
class StepKindPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One golden plan step: its case folder, its description. */
    private record GoldenStep(Path folder, String description) {
    }

    @Test
    void everyStepKindHasAnExecutorAGoldenCaseAndADescribeLine() throws IOException {
        Map<String, List<GoldenStep>> golden = goldenStepsByKind();
        List<String> missing = new ArrayList<>();
        for (Class<?> kind : Step.class.getPermittedSubclasses()) {
            String name = StepKinds.kindOf(kind);
            if (!StepExecutors.kinds().contains(kind)) {
                missing.add(name + ": no executor in StepExecutors");
            }
            List<GoldenStep> steps = golden.getOrDefault(name, List.of());
            if (steps.isEmpty()) {
                missing.add(name + ": in no golden-tests/*/expected-plan.json");
            } else if (steps.stream().noneMatch(StepKindPartsTest::printedOnItsOwnLine)) {
                missing.add(name + ": no golden case prints its description as one line of expected-plan.txt");
            }
        }
        assertTrue(missing.isEmpty(), "step kinds missing parts:\n" + String.join("\n", missing));
    }

    private static boolean printedOnItsOwnLine(GoldenStep step) {
        String description = step.description();
        if (description.isBlank() || description.contains("\n")) {
            return false;
        }
        try (Stream<String> lines = Files.lines(step.folder().resolve("expected-plan.txt"))) {
            return lines.anyMatch(line -> line.endsWith(" " + description));
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static Map<String, List<GoldenStep>> goldenStepsByKind() throws IOException {
        Map<String, List<GoldenStep>> byKind = new TreeMap<>();
        List<Path> folders;
        try (Stream<Path> children = Files.list(goldenRoot())) {
            folders = children.filter(folder -> Files.exists(folder.resolve("expected-plan.json"))).sorted().toList();
        }
        for (Path folder : folders) {
            for (JsonNode step : JSON.readTree(folder.resolve("expected-plan.json").toFile()).path("steps")) {
                byKind.computeIfAbsent(step.path("kind").asText(), kind -> new ArrayList<>())
                        .add(new GoldenStep(folder, step.path("description").asText()));
            }
        }
        assertTrue(byKind.size() > 10, "too few step kinds in the golden plans: " + byKind.keySet());
        return byKind;
    }

    /** golden-tests/ at the repository root, above the module's working directory. */
    private static Path goldenRoot() {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve("golden-tests");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no golden-tests folder above " + Path.of("").toAbsolutePath());
    }
}
