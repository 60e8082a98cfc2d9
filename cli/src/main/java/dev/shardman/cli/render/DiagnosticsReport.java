package dev.shardman.cli.render;

import dev.shardman.model.Diagnostic;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.SpecLoadResult;
import dev.shardman.model.spec.TableSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code validate} reports: every diagnostic, and for a valid spec a one-line summary.
 * Text goes to stderr (diagnostics) and stdout (summary); JSON is one document on stdout.
 */
public record DiagnosticsReport(String file, Optional<ClusterSpec> spec, List<Diagnostic> diagnostics) {

    public DiagnosticsReport {
        diagnostics = List.copyOf(diagnostics);
    }

    public static DiagnosticsReport of(String file, SpecLoadResult result) {
        return new DiagnosticsReport(file, result.spec(), result.diagnostics());
    }

    public boolean valid() {
        return spec.isPresent();
    }

    public void printText(PrintWriter out, PrintWriter err) {
        diagnostics.forEach(err::println);
        err.flush();
        if (spec.isPresent()) {
            out.println(file + ": valid (" + describe(spec.get()) + ")");
        } else {
            long errors = diagnostics.stream().filter(diagnostic -> diagnostic.severity().isError()).count();
            err.println(file + ": invalid, " + errors + (errors == 1 ? " error" : " errors")
                    + "; nothing was changed.");
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format_version", "1");
        json.put("file", file);
        json.put("valid", valid());
        json.put("error_count", diagnostics.stream().filter(diagnostic -> diagnostic.severity().isError()).count());
        json.put("warning_count", diagnostics.stream().filter(diagnostic -> !diagnostic.severity().isError()).count());
        json.put("diagnostics", diagnostics);
        return json;
    }

    private static String describe(ClusterSpec spec) {
        long groups = spec.nodes().stream().map(NodeSpec::replicationGroup).distinct().count();
        long sharded = spec.tables().stream().filter(TableSpec::isSharded).count();
        long shared = spec.tables().size() - sharded;
        return "cluster " + spec.cluster() + ": "
                + count(spec.nodes().size(), "node") + " in " + count(groups, "replication group") + ", "
                + count(sharded, "sharded table") + ", " + count(shared, "shared table");
    }

    private static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
