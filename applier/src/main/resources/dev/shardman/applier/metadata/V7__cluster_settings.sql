-- The cluster settings that change the nodes or how they are checked, recorded like the rest of the metadata:
-- apply, recover and drift-check act on what a plan step recorded, not on a spec edited since. The defaults are
-- what a cluster created before this version was running with (settings.* absent from its spec).
ALTER TABLE shardman.cluster
    ADD COLUMN sync_replication boolean NOT NULL DEFAULT false,
    ADD COLUMN max_replication_lag_bytes bigint NOT NULL DEFAULT 67108864 CHECK (max_replication_lag_bytes >= 0);
