package dev.shardman.cli.command;

import dev.shardman.applier.exec.ClusterExec;
import dev.shardman.applier.exec.ExecReport;
import dev.shardman.applier.exec.ExecRequest;
import dev.shardman.applier.exec.ExecStatement;
import dev.shardman.cli.render.ExecView;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shardman exec}: pg_shardman's {@code forall}. One SQL statement on every live node (or {@code --nodes}, and the
 * shardlord with {@code --include-shardlord}), in parallel, under the cluster lock; {@code --2pc} makes it one two-phase
 * commit. Statements touching shardman's own objects are refused. Exit 0 when it is committed on every target, 1 otherwise,
 * 3 when the cluster lock is held.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {
            "Run one SQL statement on every live node of the cluster, in parallel (pg_shardman's forall): for what the spec does "
                    + "not model, e.g. a function, a type or an extension. One line per node; exit 0 when it committed on every "
                    + "target, 1 otherwise, 3 when an apply holds the cluster lock.",
            "",
            "Each target runs it in its own transaction, which is rolled back (outcome refused) when the statement touched "
                    + "shardman's own objects: its schemas, the managed tables and their partitions, indexes, grants, its foreign "
                    + "servers and user mappings, publications and subscriptions, or reached other nodes through postgres_fdw. "
                    + "Statements that cannot run in a transaction block (CREATE DATABASE, VACUUM, ... CONCURRENTLY) are refused "
                    + "by the server. See docs/exec.md.",
            "",
            "JSON (--json, format_version \"1\"):",
            "  {\"format_version\": \"1\", \"two_phase\": false, \"succeeded\": true,",
            "   \"targets\": [{\"target\": \"w1\", \"outcome\": \"ok\", \"message\": \"\", \"rows_affected\": null,",
            "                \"columns\": [\"version\"], \"rows\": [[\"PostgreSQL 17...\"]], \"row_count\": 1}]}",
            "outcome: ok, committed, rolled back, commit pending, failed, refused, unreachable."
        })
public final class ExecCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Option(names = "--nodes", split = ",", paramLabel = "NODE", description = "Only these nodes (names, comma-separated).")
    List<String> nodes = List.of();

    @Option(names = "--2pc", description = "One two-phase commit: PREPARE on every target, then COMMIT PREPARED on all, or "
            + "ROLLBACK PREPARED on all when any target failed (nothing applied anywhere). An interrupted run is finished by "
            + "shardman recover.")
    boolean twoPhase;

    @Option(names = "--include-shardlord", description = "Run it in the shardlord's database too.")
    boolean includeShardlord;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Spec
    CommandSpec spec;

    /** The statement: on the command line, or in a file. */
    static final class Source {
        @Parameters(paramLabel = "SQL", description = "The statement (exactly one).")
        String sql;

        @Option(names = "--sql-file", paramLabel = "FILE", description = "Read the statement (exactly one) from FILE.")
        Path file;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ExecStatement statement = ExecStatement.parse(source.sql != null ? source.sql : read(source.file));
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        ExecReport report = ClusterExec.fromEnvironment().run(clusterSpec, new ExecRequest(statement, nodes, twoPhase, includeShardlord));
        out.print(output.json() ? ExecView.json(report) : ExecView.text(report));
        out.flush();
        return report.succeeded() ? ExitCodes.SUCCESS : ExitCodes.ERROR;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "cannot read " + file + ": " + unreadable.getMessage() + "; nothing was run", "");
        }
    }
}
