package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.LiveMetadata;
import dev.shardman.applier.verify.Verification;
import dev.shardman.applier.verify.VerificationReport;
import dev.shardman.cli.render.VerificationView;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code shardman verify}: do the replicas and shared-table copies hold the same rows as their
 * sources? Read-only, takes no lock (but with {@code --fence-writes}, a brief table lock per copy that still differs). Exit 0 all match, 2 a mismatch, 1 a copy could not be read
 * (an unreachable node). The {@code --json} schema is {@link VerificationView}'s.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Compare the row count and checksum of every partition's primary with each of its replicas, and of every shared table's "
                    + "master with each copy, once each copy has caught up with its source. Read-only; exit 0 all match, 2 a mismatch "
                    + "(named: partition, nodes, both figures), 1 error (a node unreachable, named).",
            "",
            "JSON (--json, format_version \"1\"):",
            "  {\"format_version\": \"1\", \"cluster\": \"demo\", \"lineage\": \"...\", \"serial\": 7, \"consistent\": true,",
            "   \"summary\": {\"sources\": 25, \"rows\": 4000, \"compared\": 25, \"mismatched\": 0, \"errors\": 0},",
            "   \"sources\": [{\"kind\": \"primary\"|\"master\", \"table\": \"customers\", \"name\": \"customers_0\", \"node\": \"w1\",",
            "                \"rows\": 83, \"checksum\": \"-1234\"}],",
            "   \"comparisons\": [{\"kind\": \"replica\"|\"shared copy\", \"table\": \"customers\", \"name\": \"customers_0\", \"match\": true,",
            "                    \"source\": {\"node\": \"w1\", \"rows\": 83, \"checksum\": \"-1234\"},",
            "                    \"copy\": {\"node\": \"w2\", \"rows\": 83, \"checksum\": \"-1234\"}, \"attempts\": 1, \"note\": \"\"}],",
            "   \"errors\": [{\"node\": \"w3\", \"object\": \"the node\", \"reason\": \"cannot connect to node w3 (...)\"}]}",
            "consistent is true exactly when every comparison matches and errors is empty."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Option(names = "--attempts", defaultValue = "" + Verification.DEFAULT_ATTEMPTS, paramLabel = "N",
            description = "Read a mismatching copy and its source up to N times in all before reporting it (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--catch-up-seconds", defaultValue = "10", paramLabel = "S",
            description = "Wait at most S seconds per attempt for the copies to confirm their source's WAL position (default: ${DEFAULT-VALUE}).")
    long catchUpSeconds;

    @Option(names = "--fence-writes", description = "Compare a copy that still differs after the attempts once more with writes to its "
            + "source blocked (LOCK ... IN EXCLUSIVE MODE on that one relation; readers go on; usually tens of ms): exact under concurrent writes.")
    boolean fenceWrites;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        ConnectionFactory factory = ConnectionFactory.fromEnvironment(Verification.APPLICATION_NAME).withNodeTimeout(clusterSpec.settings().nodeTimeout());
        LiveMetadata live = LiveMetadata.read(factory, clusterSpec.cluster(), clusterSpec.shardlord());
        VerificationReport report = new Verification(factory, Math.max(1, attempts), Duration.ofSeconds(Math.max(0, catchUpSeconds)),
                fenceWrites)
                .verify(clusterSpec.cluster(), live.state());
        out.print(output.json() ? VerificationView.json(report) : VerificationView.text(report));
        out.flush();
        if (!report.errors().isEmpty()) {
            return ExitCodes.ERROR;
        }
        return report.consistent() ? ExitCodes.SUCCESS : ExitCodes.CHANGES_PENDING;
    }
}
