package dev.shardman.cli.testkit;

import dev.shardman.cli.ShardmanCli;
import dev.shardman.cli.command.Terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real command line in-process with captured stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        return run(Terminal.system(), args);
    }

    /** As {@link #of}, apply reading its confirmation from {@code answers} as an operator would type them (e.g. "no\n"). */
    public static CliRun answering(String answers, String... args) {
        return run(Terminal.answering(new BufferedReader(new StringReader(answers))), args);
    }

    /** Prints each command's duration, so that a slow test's report says which command took its time. */
    private static CliRun run(Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exitCode = ShardmanCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), terminal).execute(args);
        System.out.printf("CliRun: %s exit %d in %d ms%n", args.length == 0 ? "" : args[0], exitCode, (System.nanoTime() - start) / 1_000_000);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** The ids of the steps of {@code kind} (as plan --json names it, e.g. {@code move_replica}) that a plan of {@code spec} makes, in order. */
    public static List<String> plannedStepIds(Path spec, String kind) throws IOException {
        CliRun plan = of("plan", "-f", spec.toString(), "--json");
        List<String> ids = new ArrayList<>();
        for (JsonNode step : new ObjectMapper().readTree(plan.out()).get("steps")) {
            if (step.get("kind").asText().equals(kind)) {
                ids.add(step.get("id").asText());
            }
        }
        return ids;
    }
}
