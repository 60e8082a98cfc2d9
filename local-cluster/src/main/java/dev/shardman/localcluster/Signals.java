package dev.shardman.localcluster;

import java.io.IOException;

/**
 * Sends POSIX signals with {@code kill(1)}: Java can only send SIGTERM and SIGKILL, and PostgreSQL
 * reads SIGINT as "fast shutdown" (roll back sessions, checkpoint, exit) and SIGQUIT as
 * "immediate shutdown". Works on our own processes as a normal user, and as root on postmasters
 * that run in a user namespace (root keeps the right to signal them).
 */
final class Signals {
    static final String FAST_SHUTDOWN = "INT";
    static final String IMMEDIATE_SHUTDOWN = "QUIT";

    private Signals() {
    }

    /** True when the signal was delivered; false when the process was already gone. */
    static boolean send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill(1) to signal process " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
