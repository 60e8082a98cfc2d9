package dev.shardman.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.Conninfos;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanHeader;
import dev.shardman.planner.render.JsonPlanWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A saved plan ({@code plan --out PLANFILE}): the plan as JSON (its header holds the lineage and
 * serial it was made from, so a later apply can refuse it when the metadata moved on) plus the
 * spec text it was made from and that text's SHA-256. Refused when the spec holds a literal
 * password: a plan file must never store one.
 */
public final class SavedPlanFile {
    public static final String KIND = "shardman-saved-plan";

    private SavedPlanFile() {
    }

    public static void write(Path file, ClusterSpec spec, Plan plan) {
        requireNoLiteralPassword(spec);
        try {
            String specText = Files.readString(Path.of(spec.file()), StandardCharsets.UTF_8);
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("format_version", "1");
            document.put("kind", KIND);
            document.put("spec_file", spec.file());
            document.put("spec_sha256", sha256(specText));
            document.put("spec", specText);
            document.put("plan", new ObjectMapper().readTree(JsonPlanWriter.write(plan)));
            Files.writeString(file, Json.write(document) + "\n", StandardCharsets.UTF_8);
        } catch (IOException exception) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT,
                    "cannot write the plan file " + file + ": " + exception.getMessage(), "", exception);
        }
    }

    /**
     * What apply needs from a saved plan: the header (lineage, serial), the step ids in order, and the
     * spec it was made from, written back to a private temporary file to be loaded and planned again.
     */
    public record Saved(PlanHeader header, List<String> stepIds, List<String> descriptions, Path specFile) {
        public Saved {
            stepIds = List.copyOf(stepIds);
            descriptions = List.copyOf(descriptions);
        }
    }

    public static Saved read(Path file) {
        try {
            JsonNode document = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (document == null || !KIND.equals(document.path("kind").asText()) || !"1".equals(document.path("format_version").asText())) {
                throw invalid(file, "not a shardman saved plan (kind " + KIND + ", format_version 1)");
            }
            String specText = document.path("spec").asText();
            if (!sha256(specText).equals(document.path("spec_sha256").asText())) {
                throw invalid(file, "the spec inside it does not match its spec_sha256 (the file was edited)");
            }
            JsonNode plan = document.path("plan");
            PlanHeader header = new PlanHeader(plan.path("cluster").asText(), plan.path("lineage").asText(), plan.path("serial").asLong());
            List<String> ids = new ArrayList<>();
            List<String> descriptions = new ArrayList<>();
            plan.path("steps").forEach(step -> {
                ids.add(step.path("id").asText());
                descriptions.add(step.path("description").asText());
            });
            Path directory = Files.createTempDirectory("shardman-plan");
            directory.toFile().deleteOnExit();
            Path spec = directory.resolve(Path.of(document.path("spec_file").asText("cluster.yaml")).getFileName());
            Files.writeString(spec, specText, StandardCharsets.UTF_8);
            spec.toFile().deleteOnExit();
            return new Saved(header, ids, descriptions, spec);
        } catch (IOException exception) {
            throw invalid(file, exception.getMessage());
        }
    }

    private static ShardmanException invalid(Path file, String reason) {
        return new ShardmanException(ErrorCode.INVALID_INPUT, "cannot read the plan file " + file + ": " + reason,
                "make a new one with shardman plan --out");
    }

    private static void requireNoLiteralPassword(ClusterSpec spec) {
        boolean literalPassword = Stream.concat(
                        Stream.of(spec.shardlord()),
                        spec.nodes().stream().flatMap(node -> Stream.concat(
                                Stream.of(node.superConninfo()), node.conninfo().stream())))
                .anyMatch(Conninfos::containsLiteralPassword);
        if (literalPassword) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT,
                    "the spec holds a literal password, so the plan is not saved (a plan file never stores one)",
                    "write password=${env:NAME} in the conninfo, or use ~/.pgpass, then run plan --out again");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException exception) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", exception);
        }
    }
}
