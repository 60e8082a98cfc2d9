package dev.shardman.cli.docs;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shell of the CI examples (examples/ci) as a runner reads it: a GitHub Actions job's {@code run:} steps, a GitLab
 * CI job's {@code script:} entries. Only the shell that calls shardman is returned: the rest (installing it, posting a
 * comment) needs the CI service. A shell calls shardman where a command starts with it (not inside an echo's text).
 */
public final class CiPipelines {
    public static final Path DIRECTORY = Path.of("../examples/ci");
    public static final Path GITHUB = DIRECTORY.resolve("github-actions.yml");
    public static final Path GITLAB = DIRECTORY.resolve("gitlab-ci.yml");
    private static final Pattern CALLS_SHARDMAN = Pattern.compile("(^\\s*|[;|&(]\\s*|\\b(then|do|else)\\s+)shardman\\s", Pattern.MULTILINE);

    private CiPipelines() {
    }

    /** The shardman steps of GitHub Actions job {@code job}, in order, as one script (the steps share the work directory). */
    public static String githubJob(String job) throws IOException {
        Map<String, Object> jobs = map(load(GITHUB).get("jobs"), "jobs");
        List<String> scripts = new ArrayList<>();
        for (Object step : list(map(jobs.get(job), job).get("steps"), job + ".steps")) {
            Object run = map(step, job + " step").get("run");
            if (run instanceof String script && CALLS_SHARDMAN.matcher(script).find()) {
                scripts.add(script);
            }
        }
        return join(job, scripts);
    }

    /** The shardman entries of GitLab CI job {@code job}'s {@code script}, in order, as one script (GitLab runs them in one shell). */
    public static String gitlabJob(String job) throws IOException {
        List<String> scripts = new ArrayList<>();
        for (Object entry : list(map(load(GITLAB).get(job), job).get("script"), job + ".script")) {
            if (entry instanceof String script && CALLS_SHARDMAN.matcher(script).find()) {
                scripts.add(script);
            }
        }
        return join(job, scripts);
    }

    public static Map<String, Object> load(Path file) throws IOException {
        Object document = new Load(LoadSettings.builder().setLabel(file.toString()).build())
                .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        return map(document, file.toString());
    }

    private static String join(String job, List<String> scripts) {
        if (scripts.isEmpty()) {
            throw new AssertionError("job " + job + " has no shell that calls shardman");
        }
        String script = String.join("\n", scripts);
        if (script.contains("${{")) {
            throw new AssertionError("job " + job + ": a shardman step uses a ${{ }} expression; pass values through env");
        }
        return script;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new AssertionError(what + " is not a mapping: " + value);
    }

    private static List<?> list(Object value, String what) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new AssertionError(what + " is not a list: " + value);
    }
}
