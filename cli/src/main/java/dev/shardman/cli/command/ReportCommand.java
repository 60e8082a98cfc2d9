package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.ClusterReport;
import dev.shardman.cli.render.ClusterReportView;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code shardman report --html FILE}: status, drift-check's findings and where every partition copy lives with its size,
 * as one self-contained HTML page ({@link ClusterReportView}). Read-only, no lock. Exit 0 when the page is written, drift
 * or unreachable nodes included (the page shows them); 1 when the shardlord cannot be read or the file cannot be written.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the cluster (nodes x tables with primaries, replicas and sizes, replication lag, drift, last apply) as one self-contained HTML page.")
public final class ReportCommand implements Callable<Integer> {
    /** The {@code --html} value that means standard output. */
    private static final String STDOUT = "-";

    @Mixin
    SpecFileOption specFile;

    @Option(names = "--html", required = true, paramLabel = "FILE", description = "Write the page to FILE ('-': to standard output).")
    String html;

    @Option(names = "--lock-age-minutes", defaultValue = "60", paramLabel = "N",
            description = "Report a cluster lock held for longer than N minutes (default: ${DEFAULT-VALUE}).")
    long lockAgeMinutes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        ConnectionFactory factory = ConnectionFactory.fromEnvironment(ClusterReport.APPLICATION_NAME).withNodeTimeout(clusterSpec.settings().nodeTimeout());
        String page = ClusterReportView.html(ClusterReport.read(factory, clusterSpec, Duration.ofMinutes(lockAgeMinutes)), Instant.now());
        if (STDOUT.equals(html)) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(page);
            out.flush();
            return ExitCodes.SUCCESS;
        }
        Path file = Path.of(html);
        try {
            Files.writeString(file, page, StandardCharsets.UTF_8);
        } catch (IOException exception) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "cannot write the report " + file + ": " + exception.getMessage(), "", exception);
        }
        spec.commandLine().getOut().println("Report written to " + file + ".");
        spec.commandLine().getOut().flush();
        return ExitCodes.SUCCESS;
    }
}
