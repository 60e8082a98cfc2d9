package dev.shardman.cli.command;

import dev.shardman.applier.execute.WipeState;
import dev.shardman.cli.render.Json;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code shardman wipe-state --node N}: removes shardman's objects from node N, which left the cluster for good
 * (not in the metadata, or lost and come back), keeping its tables with data renamed {@code <name>_stale};
 * prints one line per thing removed ({@code --dry-run}: would remove, nothing changed). Exit 0, 1 on error or
 * when N is still a live member (nothing changed), 3 the lock is held. {@code --json}:
 * {@code {"format_version": "1", "node": "w1", "dry_run": false, "actions": ["..."]}}.
 */
@Command(name = "wipe-state", mixinStandardHelpOptions = true,
        description = "Remove shardman's objects from a node that left the cluster for good, keeping its tables with data (renamed <name>_stale).")
public final class WipeStateCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Option(names = "--node", required = true, paramLabel = "NODE", description = "The node to wipe (not a live member of the cluster).")
    String node;

    @Option(names = "--conninfo", paramLabel = "CONNINFO",
            description = "Its superuser conninfo, when neither the spec nor the metadata has the node any more.")
    String conninfo;

    @Option(names = "--dry-run", description = "List what would be removed; change nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        WipeState.Report report = WipeState.fromEnvironment().wipe(clusterSpec, node, Optional.ofNullable(conninfo), dryRun);
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format_version", "1");
            json.put("node", report.node());
            json.put("dry_run", report.dryRun());
            json.put("actions", report.actions());
            out.println(Json.write(json));
        } else {
            String prefix = report.dryRun() ? "would be: " : "";
            report.actions().forEach(line -> out.println(report.node() + ": " + prefix + line));
            out.println(report.actions().isEmpty() ? "Nothing of shardman on " + report.node() + "."
                    : (report.dryRun() ? "Dry run: " + report.actions().size() + " change(s) listed, nothing changed on "
                    : "Wiped: " + report.actions().size() + " change(s) on ") + report.node() + ".");
        }
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
