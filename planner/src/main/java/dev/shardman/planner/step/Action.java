package dev.shardman.planner.step;

/** What a step does to its object, with the symbol and verb the plan text uses. */
public enum Action {
    CREATE("+", "create", "to create"),
    UPDATE("~", "update", "to change"),
    MOVE("→", "move", "to move"),
    DELETE("-", "destroy", "to destroy");

    private final String symbol;
    private final String jsonName;
    private final String summaryPhrase;

    Action(String symbol, String jsonName, String summaryPhrase) {
        this.symbol = symbol;
        this.jsonName = jsonName;
        this.summaryPhrase = summaryPhrase;
    }

    public String symbol() {
        return symbol;
    }

    /** The value of {@code action} in the JSON plan: create, update, move or destroy. */
    public String jsonName() {
        return jsonName;
    }

    /** As in "3 to create". */
    public String summaryPhrase() {
        return summaryPhrase;
    }
}
