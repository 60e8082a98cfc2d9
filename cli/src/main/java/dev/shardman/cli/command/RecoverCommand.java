package dev.shardman.cli.command;

import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shardman recover}: under the cluster lock, resolves prepared transactions an interrupted
 * apply left (committed when the journal says so, else rolled back) and repairs every live node to
 * the metadata. One line per fix; nothing printed but a summary = consistent. Exit 0, 1 on error, 3 lock held.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Finish or roll back what an interrupted apply left, and repair the nodes to the metadata.")
public final class RecoverCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Spec
    CommandSpec spec;

    @Option(names = "--accept-mismatch", paramLabel = "MOVE",
            description = "Accept the verification mismatch that stopped a move (its step id, e.g. move-primary:customers_3, or its "
                    + "partition): the move is finished and the source keeps the retired copy for you to compare and drop.")
    String acceptMismatch;

    @Option(names = "--accept-server", paramLabel = "NODE",
            description = "Take the server that now answers for NODE as the node's own although its system identifier changed "
                    + "(pg_upgrade, a restored dump): only when it holds the node's data; a server re-created empty is a lost node.")
    String acceptServer;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApplyEngine engine = ApplyEngine.fromEnvironment();
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        List<String> fixed = engine.recover(clusterSpec, java.util.Optional.ofNullable(acceptMismatch), java.util.Optional.ofNullable(acceptServer));
        fixed.forEach(out::println);
        out.println(fixed.isEmpty() ? "Nothing to recover: the nodes match the metadata." : "Recovered: " + fixed.size()
                + (fixed.size() == 1 ? " fix." : " fixes."));
        out.flush();
        // the nodes may match the metadata and still not reach each other (a password rotated where the environment was not)
        List<String> broken = engine.unusablePeers(clusterSpec);
        if (!broken.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("Not repaired (recover cannot: the nodes' objects are as the metadata says):");
            broken.forEach(problem -> err.println("  " + problem));
            err.flush();
            return ExitCodes.ERROR;
        }
        return ExitCodes.SUCCESS;
    }
}
