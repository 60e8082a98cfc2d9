package dev.shardman.planner.step;

/** A command-line flag without which a step is refused. */
public enum Permission {
    ALLOW_DESTROY("--allow-destroy"),
    ALLOW_DATA_LOSS("--allow-data-loss");

    private final String flag;

    Permission(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }
}
