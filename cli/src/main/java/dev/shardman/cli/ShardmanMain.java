package dev.shardman.cli;

/** Process entry point: the only place that calls System.exit. */
public final class ShardmanMain {
    private ShardmanMain() {
    }

    public static void main(String[] args) {
        System.exit(ShardmanCli.commandLine().execute(args));
    }
}
