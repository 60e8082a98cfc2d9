package dev.shardman.cli.command;

import dev.shardman.model.ShardmanException;
import picocli.CommandLine;

/**
 * The exit-code contract of DESIGN.md, in one place: 0 success / no changes, 1 error,
 * 2 changes pending or drift found, 3 cluster lock held, 4 stale saved plan, 64 usage error.
 */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
    public static final int SUCCESS = 0;
    public static final int ERROR = 1;
    public static final int CHANGES_PENDING = 2;
    public static final int LOCK_HELD = 3;
    public static final int STALE_PLAN = 4;
    /** EX_USAGE of sysexits.h; picocli's default (2) would read as "changes pending". */
    public static final int USAGE = 64;

    @Override
    public int getExitCode(Throwable exception) {
        if (exception instanceof ShardmanException shardmanException) {
            return shardmanException.code().exitCode();
        }
        if (exception instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        return ERROR;
    }
}
