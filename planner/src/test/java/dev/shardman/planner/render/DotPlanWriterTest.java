package dev.shardman.planner.render;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.Planner;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.shardman.planner.support.Scenarios.built;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DotPlanWriterTest {
    private static Plan addFourthNode() {
        ClusterSpec before = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").sharded("customers", 6, 0).shared("countries", "w1").build();
        ClusterSpec after = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").sharded("customers", 6, 0).shared("countries", "w1").build();
        return Planner.plan(after, built(before), PlanOptions.DEFAULTS);
    }

    @Test
    void everyStepIsABoxColouredByActionInItsSubjectsClusterWithItsDependencyEdges() {
        Plan plan = addFourthNode();
        String expected = """
                digraph "plan demo" {
                  rankdir=LR;
                  fontname="Helvetica";
                  node [shape=box, style="rounded,filled", fontname="Helvetica"];
                  label="Plan: 2 to create, 0 to change, 1 to move, 0 to destroy.";
                  subgraph "cluster_0" {
                    label="node w4";
                    "register-node:w4" [label="+ w4 will be registered in replication group rg1", fillcolor="#c8e6c9"];
                    "create-foreign-servers:w4" [label="+ foreign servers between w4 and 3 peers (w1, w2, w3) will be created", fillcolor="#c8e6c9"];
                  }
                  subgraph "cluster_1" {
                    label="table customers";
                    "move-primary:customers_2" [label="→ customers_2 will be moved from w3 to w4", fillcolor="#bbdefb"];
                  }
                %s}
                """.formatted(edges(plan));
        assertEquals(expected, DotPlanWriter.write(plan));
        assertTrue(expected.contains("\"register-node:w4\" -> \"create-foreign-servers:w4\";"), expected);
    }

    @Test
    void quotesBackslashesAndLineBreaksInLabelsAreEscaped() {
        PlanView.StepLine line = new PlanView.StepLine("update-node:w\"1", "destroy", "-", "update_node", "node w\"1",
                "say \"hi\"\\N\nthen go", List.of(), false, List.of(), List.of());
        PlanView view = new PlanView("c\"x", "lineage", 1, List.of(new PlanView.Group("node w\"1", List.of(line))), List.of(line),
                new PlanView.Summary(0, 0, 0, 1), List.of());
        String dot = DotPlanWriter.write(view);
        assertTrue(dot.startsWith("digraph \"plan c\\\"x\" {\n"), dot);
        assertTrue(dot.contains("\"update-node:w\\\"1\" [label=\"- say \\\"hi\\\"\\\\N\\nthen go\", fillcolor=\"#ffcdd2\"];"), dot);
        assertEquals(1, dot.lines().filter(text -> text.contains("label=\"node w\\\"1\";")).count(), dot);
    }

    @Test
    void graphvizRendersTheGraph(@TempDir Path directory) throws IOException, InterruptedException {
        assumeTrue(onPath("dot"), "Graphviz's dot is not on PATH (apt-get install graphviz); the DOT text is checked above");
        Path dotFile = Files.writeString(directory.resolve("plan.dot"), DotPlanWriter.write(addFourthNode()), StandardCharsets.UTF_8);
        Path svg = directory.resolve("plan.svg");
        Process dot = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString(), dotFile.toString()).redirectErrorStream(true).start();
        String messages = new String(dot.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dot.waitFor(60, TimeUnit.SECONDS), "dot did not finish in 60 s");
        assertEquals(0, dot.exitValue(), messages);
        String picture = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(picture.contains("customers_2 will be moved from w3 to w4"), picture);
        assertTrue(picture.contains("node w4"), picture);
    }

    private static String edges(Plan plan) {
        StringBuilder edges = new StringBuilder();
        for (PlannedStep step : plan.steps()) {
            step.dependsOn().forEach(before -> edges.append("  \"").append(before.value()).append("\" -> \"").append(step.id().value()).append("\";\n"));
        }
        return edges.toString();
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
