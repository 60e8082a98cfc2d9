package dev.shardman.cli.command;

import dev.shardman.cli.render.DiagnosticsReport;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoadResult;
import dev.shardman.model.spec.SpecLoader;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Loading a spec for a command: diagnostics go to stderr, an invalid spec is an error; live commands narrow it (with warnings). */
final class SpecInput {
    private SpecInput() {
    }

    static ClusterSpec load(Path file, PrintWriter err) {
        SpecLoadResult loaded = SpecLoader.load(file, System.getenv());
        if (loaded.spec().isEmpty() || !loaded.diagnostics().isEmpty()) {
            loaded.diagnostics().forEach(err::println);
            if (!DiagnosticsReport.of(file.toString(), loaded).valid()) {
                err.flush();
                throw new ShardmanException(ErrorCode.INVALID_INPUT, file + ": invalid; nothing was done", "");
            }
        }
        return loaded.spec().orElseThrow();
    }
}
