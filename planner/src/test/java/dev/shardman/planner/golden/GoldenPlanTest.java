package dev.shardman.planner.golden;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.StateSnapshots;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.render.JsonPlanWriter;
import dev.shardman.planner.render.TextPlanRenderer;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepKinds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden suite: one {@link DynamicTest} per folder of {@code golden-tests/} (see its README). Each case
 * plans {@code desired.yaml} against {@code state.yaml} with the flags of {@code options.yaml} and compares the
 * text and JSON plans and the state the plan leads to ({@code --out-state}), or the error a refused or impossible
 * plan gives, byte for byte with the expected files,
 * failing with a unified diff. {@code -Dgolden.update=true} rewrites the expected files (and the states built
 * from {@code built-from.yaml}) instead of comparing: review those changes like code.
 */
class GoldenPlanTest {
    static final int MINIMUM_CASES = 30;
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static final String DESIRED = "desired.yaml";
    static final String STATE = "state.yaml";
    static final String BUILT_FROM = "built-from.yaml";
    static final String OPTIONS = "options.yaml";
    static final String EXPECTED_TEXT = "expected-plan.txt";
    static final String EXPECTED_JSON = "expected-plan.json";
    static final String EXPECTED_STATE = "expected-state.yaml";
    static final String EXPECTED_ERROR = "expected-error.txt";

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        Path root = goldenRoot();
        List<Path> cases;
        try (Stream<Path> children = Files.list(root)) {
            cases = children.filter(Files::isDirectory).sorted().toList();
        }
        DynamicTest count = DynamicTest.dynamicTest("golden-tests holds at least " + MINIMUM_CASES + " cases",
                () -> assertTrue(cases.size() >= MINIMUM_CASES, "only " + cases.size() + " cases in " + root));
        // last, so that with -Dgolden.update=true it reads the files just written
        DynamicTest everyKind = DynamicTest.dynamicTest("every step kind appears in a golden case", () -> assertEveryStepKindCovered(cases));
        Stream<DynamicTest> perCase = cases.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> run(folder)));
        return Stream.of(Stream.of(count), perCase, Stream.of(everyKind)).flatMap(tests -> tests);
    }

    /** Each permitted {@link Step} record must show up (by its JSON kind) in some expected-plan.json. */
    private static void assertEveryStepKindCovered(List<Path> cases) {
        Set<String> seen = new TreeSet<>();
        Pattern kind = Pattern.compile("\"kind\" : \"([a-z_]+)\"");
        for (Path folder : cases) {
            Path json = folder.resolve(EXPECTED_JSON);
            if (Files.exists(json)) {
                kind.matcher(read(json)).results().forEach(match -> seen.add(match.group(1)));
            }
        }
        List<String> missing = Arrays.stream(Step.class.getPermittedSubclasses()).map(StepKinds::kindOf).filter(name -> !seen.contains(name)).sorted().toList();
        assertTrue(missing.isEmpty(), "step kinds without a golden case: " + missing);
    }

    /** golden-tests/ at the repository root: the first one found walking up from the working directory (the module's). */
    static Path goldenRoot() {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve("golden-tests");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no golden-tests folder above " + Path.of("").toAbsolutePath());
    }

    private static void run(Path folder) {
        String desiredText = read(folder.resolve(DESIRED));
        ClusterState state = startingState(folder);
        PlanOptions options = GoldenOptions.read(folder.resolve(OPTIONS));
        Outcome outcome = outcome(desiredText, state, options);
        if (UPDATE) {
            update(folder, state, outcome);
            return;
        }
        boolean expectsPlan = Files.exists(folder.resolve(EXPECTED_TEXT)) || Files.exists(folder.resolve(EXPECTED_JSON));
        boolean expectsError = Files.exists(folder.resolve(EXPECTED_ERROR));
        if (expectsPlan == expectsError) {
            fail(folder.getFileName() + " needs either " + EXPECTED_TEXT + ", " + EXPECTED_JSON + " and " + EXPECTED_STATE + ", or " + EXPECTED_ERROR
                    + " (run with -Dgolden.update=true to write them, then review them)");
        }
        if (expectsError) {
            compare(folder.resolve(EXPECTED_ERROR), outcome.error() != null ? outcome.error() : "(no error; the plan is)\n" + outcome.text());
            return;
        }
        if (outcome.error() != null) {
            fail(folder.getFileName() + ": expected a plan, planning failed:\n" + outcome.error());
        }
        compare(folder.resolve(EXPECTED_TEXT), outcome.text());
        compare(folder.resolve(EXPECTED_JSON), outcome.json());
        compare(folder.resolve(EXPECTED_STATE), StateSnapshots.toYaml(StateProjection.project(state, outcome.plan())));
        assertStableAndConverging(desiredText, state, options, outcome);
    }

    /**
     * The state the case starts from. When {@code built-from.yaml} exists, state.yaml must be the state its plan
     * leads to from an empty cluster, followed by the plans of {@code built-from-2.yaml}, {@code built-from-3.yaml}...
     * in turn (with every flag allowed), so that starting states are real projections, never hand-edited.
     */
    private static ClusterState startingState(Path folder) {
        Path stateFile = folder.resolve(STATE);
        List<Path> history = history(folder);
        if (!history.isEmpty()) {
            String built = StateSnapshots.toYaml(StateBuilder.build(history.stream().map(file -> spec(read(file), file.getFileName().toString())).toList()));
            if (UPDATE) {
                write(stateFile, built);
            } else {
                compare(stateFile, built);
            }
        }
        if (!Files.exists(stateFile)) {
            fail(folder.getFileName() + " has no " + STATE + " (an empty file means a new cluster)");
        }
        String content = read(stateFile);
        return content.isBlank() ? ClusterState.empty() : StateSnapshots.parse(content, STATE);
    }

    /** built-from.yaml, built-from-2.yaml, built-from-3.yaml... as long as they follow each other. */
    private static List<Path> history(Path folder) {
        List<Path> files = new ArrayList<>();
        Path file = folder.resolve(BUILT_FROM);
        for (int step = 2; Files.exists(file); step++) {
            files.add(file);
            file = folder.resolve("built-from-" + step + ".yaml");
        }
        return files;
    }

    /** What the CLI would print: the plan's text and JSON, or its error message. */
    record Outcome(String text, String json, String error, Plan plan) {
    }

    private static Outcome outcome(String desiredText, ClusterState state, PlanOptions options) {
        try {
            Plan plan = Planner.plan(spec(desiredText, DESIRED), state, options);
            return new Outcome(TextPlanRenderer.render(plan, false), JsonPlanWriter.write(plan), null, plan);
        } catch (ShardmanException exception) {
            return new Outcome(null, null, errorMessage(exception), null);
        }
    }

    /** As the CLI's error handler prints it: {@code error: summary}, then the detail. */
    static String errorMessage(ShardmanException exception) {
        return "error: " + exception.summary() + "\n" + (exception.detail().isEmpty() ? "" : exception.detail() + "\n");
    }

    /** The spec as {@code shardman plan -f desired.yaml} run in the case folder would load it (no environment). */
    static ClusterSpec spec(String text, String fileName) {
        return SpecLoader.load(fileName, text, Map.of()).orElseThrow();
    }

    private static void assertStableAndConverging(String desiredText, ClusterState state, PlanOptions options, Outcome outcome) {
        Outcome again = outcome(desiredText, state, options);
        assertEquals(outcome.text(), again.text(), "planning twice gives different text");
        assertEquals(outcome.json(), again.json(), "planning twice gives different JSON");
        ClusterState next = StateProjection.project(state, outcome.plan());
        Plan after = Planner.plan(spec(desiredText, DESIRED), next, options);
        assertTrue(after.isEmpty(), () -> "planning again from the projected state is not empty:\n"
                + after.steps().stream().map(PlannedStep::step).map(step -> "  " + step.describe()).collect(Collectors.joining("\n")));
    }

    private static void update(Path folder, ClusterState state, Outcome outcome) {
        if (outcome.error() != null) {
            write(folder.resolve(EXPECTED_ERROR), outcome.error());
            delete(folder.resolve(EXPECTED_TEXT));
            delete(folder.resolve(EXPECTED_JSON));
            delete(folder.resolve(EXPECTED_STATE));
        } else {
            write(folder.resolve(EXPECTED_TEXT), outcome.text());
            write(folder.resolve(EXPECTED_JSON), outcome.json());
            write(folder.resolve(EXPECTED_STATE), StateSnapshots.toYaml(StateProjection.project(state, outcome.plan())));
            delete(folder.resolve(EXPECTED_ERROR));
        }
    }

    private static void compare(Path expectedFile, String actual) {
        Path folder = expectedFile.getParent();
        String name = folder.getFileName() + "/" + expectedFile.getFileName();
        if (!Files.exists(expectedFile)) {
            fail(name + " is missing (run with -Dgolden.update=true to write it, then review it)");
        }
        String expected = read(expectedFile);
        if (!expected.equals(actual)) {
            fail(name + " differs (run with -Dgolden.update=true to accept, then review the diff):\n"
                    + UnifiedDiff.between("expected/" + name, expected, "actual/" + name, actual));
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** Builds real starting states: the state a cluster reaches when specs are applied in turn to an empty state. */
    static final class StateBuilder {
        private StateBuilder() {
        }

        static ClusterState build(List<ClusterSpec> specs) {
            ClusterState state = ClusterState.empty();
            for (ClusterSpec spec : specs) {
                state = StateProjection.project(state, Planner.plan(spec, state, new PlanOptions(true, true)));
            }
            return state;
        }
    }

    /** options.yaml: {@code allow_destroy: true|false}, {@code allow_data_loss: true|false}; absent file or key = false. */
    static final class GoldenOptions {
        private GoldenOptions() {
        }

        static PlanOptions read(Path file) {
            if (!Files.exists(file)) {
                return new PlanOptions(false, false);
            }
            boolean allowDestroy = false;
            boolean allowDataLoss = false;
            List<String> unknown = new ArrayList<>();
            for (String line : GoldenPlanTest.read(file).split("\n")) {
                String content = line.replaceFirst("#.*", "").strip();
                if (content.isEmpty()) {
                    continue;
                }
                String[] keyValue = content.split(":\\s*", 2);
                boolean value = keyValue.length == 2 && keyValue[1].equals("true");
                if (keyValue.length != 2 || !(keyValue[1].equals("true") || keyValue[1].equals("false"))) {
                    unknown.add(line);
                } else if (keyValue[0].equals("allow_destroy")) {
                    allowDestroy = value;
                } else if (keyValue[0].equals("allow_data_loss")) {
                    allowDataLoss = value;
                } else {
                    unknown.add(line);
                }
            }
            if (!unknown.isEmpty()) {
                fail(file + ": lines not understood (allowed: allow_destroy: true|false, allow_data_loss: true|false): " + unknown);
            }
            return new PlanOptions(allowDestroy, allowDataLoss);
        }
    }
}
