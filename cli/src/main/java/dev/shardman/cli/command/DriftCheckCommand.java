package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.DriftCheck;
import dev.shardman.applier.execute.DriftReport;
import dev.shardman.cli.render.DriftReportView;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shardman drift-check}: read-only, takes no lock, meant for cron. Exit 0 in sync; 2 pending
 * changes, a spec edit asked for (a node the monitor failed over), node drift or prepared transactions left
 * behind; 1 error or an unreachable node. The
 * {@code --json} schema is {@link DriftReportView}'s.
 */
@Command(name = "drift-check", mixinStandardHelpOptions = true,
        description = "Do the nodes still match the metadata, and the metadata the spec? Read-only; exit 0 in sync, 2 drift, 1 error.")
public final class DriftCheckCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Option(names = "--lock-age-minutes", defaultValue = "60", paramLabel = "N",
            description = "Report a cluster lock held for longer than N minutes (default: ${DEFAULT-VALUE}).")
    long lockAgeMinutes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        DriftReport report = new DriftCheck(ConnectionFactory.fromEnvironment(DriftCheck.APPLICATION_NAME).withNodeTimeout(clusterSpec.settings().nodeTimeout()))
                .check(clusterSpec, List.of(), Duration.ofMinutes(lockAgeMinutes));
        out.print(output.json() ? DriftReportView.json(report) : DriftReportView.text(report));
        out.flush();
        if (!report.unreachable().isEmpty()) {
            return ExitCodes.ERROR;
        }
        return report.inSync() ? ExitCodes.SUCCESS : ExitCodes.CHANGES_PENDING;
    }
}
