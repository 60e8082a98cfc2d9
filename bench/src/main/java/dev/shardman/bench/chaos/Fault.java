package dev.shardman.bench.chaos;

/** The fault a round injects at a random moment of its scenario's apply. */
enum Fault {
    /** SIGKILL of the {@code shardman apply} child process. */
    APPLIER_KILL("kill-applier"),
    /** SIGKILL of every process of a worker; the convergence spec marks it {@code lost: true}. */
    WORKER_KILL("kill-worker"),
    /** SIGSTOP of every process of a worker, SIGCONT a few seconds later (a hiccup). */
    WORKER_PAUSE("pause-worker"),
    /** SIGSTOP of every process of a worker for longer than a connect timeout, then SIGCONT (a partition that heals). */
    WORKER_PARTITION("partition-worker"),
    /** SIGKILL of the shardlord's processes, then a start of it again (crash recovery). */
    SHARDLORD_RESTART("restart-shardlord"),
    /**
     * SIGKILL of a worker's backends (as the OOM killer does to one of them): its postmaster ends every session and runs
     * crash recovery; prepared transactions, slots and subscriptions survive, sessions and walsenders do not.
     */
    WORKER_RESTART("restart-worker");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    boolean hitsWorker() {
        return this == WORKER_KILL || this == WORKER_PAUSE || this == WORKER_PARTITION || this == WORKER_RESTART;
    }
}
