package dev.shardman.cli.command;

import dev.shardman.cli.render.DiagnosticsReport;
import dev.shardman.cli.render.Json;
import dev.shardman.model.spec.SpecLoadResult;
import dev.shardman.model.spec.SpecLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code shardman validate -f FILE [--json]}: parses and validates the spec without connecting
 * anywhere. Lists every problem as {@code file:line:column: message}; exit 0 when valid, 1 when not.
 * Unset {@code ${env:...}} references are warnings here (they are errors only for commands that connect).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a cluster spec for errors without connecting to any server.")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SpecLoadResult result = SpecLoader.load(specFile.file(), System.getenv());
        DiagnosticsReport report = DiagnosticsReport.of(specFile.file().toString(), result);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.write(report.toJson()));
        } else {
            report.printText(out, spec.commandLine().getErr());
        }
        return report.valid() ? ExitCodes.SUCCESS : ExitCodes.ERROR;
    }
}
