package dev.shardman.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shardman}: lists the subcommands; a bare {@code shardman} is a usage error. */
@Command(
        name = "shardman",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps a sharded PostgreSQL cluster in the shape that cluster.yaml declares.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0   success; plan / drift-check: nothing to change, no drift",
            "  1   error",
            "  2   changes pending (plan), drift found (drift-check), copies differ (verify)",
            "  3   the cluster lock is held by another apply",
            "  4   the saved plan is stale",
            "  64  usage error"
        },
        subcommands = {
            ValidateCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            DriftCheckCommand.class,
            VerifyCommand.class,
            ExecCommand.class,
            RecoverCommand.class,
            WipeStateCommand.class,
            StatusCommand.class,
            ReportCommand.class,
            MonitorCommand.class,
            StateCommand.class,
            LocalCommand.class,
            DemoCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class RootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: a subcommand is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
