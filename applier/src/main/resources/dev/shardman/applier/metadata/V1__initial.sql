-- shardman metadata, version 1. The schema "shardman" and the table schema_version exist already
-- (created by the migration runner, which also records this version). Applied in one transaction.

-- The one cluster this shardlord database holds.
CREATE TABLE shardman.cluster (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    name       text NOT NULL,
    lineage    uuid NOT NULL,
    serial     bigint NOT NULL CHECK (serial >= 0),  -- grows with every committed change
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Worker nodes. Conninfo strings are kept as written in the spec (${env:NAME} references, never a password).
CREATE TABLE shardman.nodes (
    id                bigint PRIMARY KEY CHECK (id > 0),   -- names the foreign server shardman_node_<id>
    name              text NOT NULL UNIQUE,
    system_identifier text,                                -- pg_control_system(), once seen
    super_conninfo    text NOT NULL,
    conninfo          text,                                -- non-superuser, for user mappings
    replication_group text NOT NULL,
    lost              boolean NOT NULL DEFAULT false,
    registered_at     timestamptz NOT NULL DEFAULT now()
);

-- Sharded and shared tables. "position" keeps the order in which tables were created.
CREATE TABLE shardman.tables (
    name          text PRIMARY KEY,
    position      integer NOT NULL,
    schema        text NOT NULL,
    type          text NOT NULL CHECK (type IN ('sharded', 'shared')),
    columns       jsonb NOT NULL,      -- [{"name", "type", "nullable", "default"?}]
    primary_key   text[] NOT NULL,
    indexes       jsonb NOT NULL,      -- [{"name", "columns": [...], "unique"}]
    sharding_key  text,                -- sharded only
    partitions    integer NOT NULL CHECK (partitions >= 0),
    redundancy    integer NOT NULL CHECK (redundancy >= 0),
    colocate_with text,                -- sharded only: the anchor table
    master        text REFERENCES shardman.nodes (name) DEFERRABLE INITIALLY DEFERRED  -- shared only
);

-- The primary (writable) copy of each partition and the node holding it.
CREATE TABLE shardman.partitions (
    table_name      text NOT NULL REFERENCES shardman.tables (name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    partition_index integer NOT NULL CHECK (partition_index >= 0),
    name            text NOT NULL GENERATED ALWAYS AS (table_name || '_' || partition_index::text) STORED UNIQUE,
    node            text NOT NULL REFERENCES shardman.nodes (name) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (table_name, partition_index)
);

-- Read-only copies of partitions.
CREATE TABLE shardman.replicas (
    partition text NOT NULL REFERENCES shardman.partitions (name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    node      text NOT NULL REFERENCES shardman.nodes (name) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (partition, node)
);

-- One row per step run of apply/recover. Never holds a password.
CREATE TABLE shardman.journal (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id      text NOT NULL,
    step_id      text NOT NULL,
    description  text NOT NULL,
    status       text NOT NULL CHECK (status IN ('started', 'done', 'failed', 'prepared', 'committed', 'rolled_back')),
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz,
    error        text,
    decision     text CHECK (decision IN ('commit', 'rollback')),  -- two-phase commit decision of the step
    serial_after bigint                                            -- the cluster serial its metadata commit produced
);
CREATE INDEX journal_plan_id_idx ON shardman.journal (plan_id, id);

-- Two-phase commit decisions, one row per prepared transaction (gid shardman_<op>_<node>),
-- written before COMMIT PREPARED / ROLLBACK PREPARED; recover finishes what it finds on the nodes.
CREATE TABLE shardman.decisions (
    gid        text PRIMARY KEY,
    journal_id bigint NOT NULL REFERENCES shardman.journal (id),
    decision   text NOT NULL CHECK (decision IN ('commit', 'rollback')),
    decided_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Who holds the apply lock (the advisory lock itself is what excludes; this row only names the holder).
CREATE TABLE shardman.lock_holder (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    user_name   text NOT NULL,
    host_name   text NOT NULL,
    process_id  bigint NOT NULL,
    backend_pid integer NOT NULL,      -- the shardlord session holding the advisory lock
    command     text NOT NULL,
    plan_id     text,
    started_at  timestamptz NOT NULL
);
