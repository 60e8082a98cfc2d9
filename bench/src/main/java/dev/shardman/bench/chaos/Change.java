package dev.shardman.bench.chaos;

/** A change of the tables that the scenario's spec makes besides its node change, so that catalog work meets the fault too. */
enum Change {
    /** The tables stay as they are. */
    NONE("none"),
    /** A nullable column on both tables and an index on the sharded one: DDL on every node in the same plan as the moves. */
    ADD_COLUMN("add a column and an index"),
    /** The sharded table's redundancy 1 -> 2: a second replica of every partition, copied while the writers write. */
    MORE_REDUNDANCY("redundancy 2"),
    /** The shared table's master moves to another node (the fenced master switch). */
    SHARED_MASTER("shared master moves"),
    /** A new sharded table colocated with the written one: created in the same plan as the moves of the units it joins. */
    COLOCATED_TABLE("a colocated table");

    private final String label;

    Change(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
