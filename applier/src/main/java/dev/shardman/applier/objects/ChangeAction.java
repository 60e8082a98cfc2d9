package dev.shardman.applier.objects;

/** What a change does to one object; the symbol is the one plans print. */
public enum ChangeAction {
    /** Missing: create it. */
    CREATE("+"),
    /** Wrong in a way ALTER can fix in place (options, columns, attachment slot of a local partition). */
    ALTER("~"),
    /** Wrong in a way only drop + create can fix (foreign partition's server, index columns, ...). */
    REPLACE("-/+"),
    /** Observed in scope but not expected. */
    DROP("-");

    private final String symbol;

    ChangeAction(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
