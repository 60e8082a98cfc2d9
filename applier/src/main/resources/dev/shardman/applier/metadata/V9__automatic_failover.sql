-- settings.failover, recorded with the other cluster settings: the monitor acts on what apply recorded, not on a spec
-- edited since. The defaults are what every older cluster means: report an unreachable node, never fail it over.
ALTER TABLE shardman.cluster
    ADD COLUMN failover_automatic boolean NOT NULL DEFAULT false,
    ADD COLUMN failover_after_seconds integer NOT NULL DEFAULT 60 CHECK (failover_after_seconds BETWEEN 5 AND 86400);

-- A node the monitor declared lost (not the spec): plan and drift-check tell the operator to mark it lost in the spec.
-- Keyed by name: a lost node never comes back under its name. Kept after the node row is removed, as history.
CREATE TABLE shardman.automatic_failovers (
    node_name        text PRIMARY KEY,
    node_id          bigint NOT NULL,
    failed_over_at   timestamptz NOT NULL DEFAULT now(),
    unreachable_for  interval NOT NULL,
    decided_by       text NOT NULL
);
