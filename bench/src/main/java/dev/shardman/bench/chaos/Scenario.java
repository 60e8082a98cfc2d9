package dev.shardman.bench.chaos;

/** What a chaos round asks of shardman while its fault hits. */
enum Scenario {
    /** w1..w4 hold the table; the spec adds w5 and apply rebalances onto it. */
    REBALANCE("rebalance"),
    /** w1..w5 hold the table; the spec drops one node and apply moves everything off it. */
    DRAIN("drain"),
    /** w1..w5 hold the table; one node is SIGKILLed, the spec marks it lost and apply fails over. */
    FAILOVER("failover");

    private final String label;

    Scenario(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The workers in the cluster before the scenario's apply (the rebalance's fifth node exists but is not in the spec yet). */
    int initialWorkers() {
        return this == REBALANCE ? 4 : 5;
    }
}
