-- The monitor's lease: at most one row. The monitor holding it (holder, unexpired) acts: it breaks deadlocks and
-- answers for nodes that are down; any other waits as a standby and takes the row once expires_at has passed.
CREATE TABLE shardman.monitor_lease (
    id          integer PRIMARY KEY CHECK (id = 1),
    holder      text NOT NULL,
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
