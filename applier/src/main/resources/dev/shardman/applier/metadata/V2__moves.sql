-- shardman metadata, version 2: data moves in flight (MovePrimary). Applied in one transaction.

-- One row per move of a partition unit's primary from one node to another. The phase is written and
-- committed BEFORE the phase starts, so that a crashed apply (or recover) knows where to resume or what
-- to roll back; the metadata commit of the move (partitions.node) sets phase 'cleanup' in the same
-- transaction. Object names are stored so that recovery never has to re-derive them. Never holds a password.
CREATE TABLE shardman.moves (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    step_id          text NOT NULL,        -- e.g. move-primary:customers_3
    plan_id          text NOT NULL,        -- the apply run that started it (a resumed move keeps it)
    tables           text[] NOT NULL,      -- the unit's tables, anchor first
    partition_index  integer NOT NULL CHECK (partition_index >= 0),
    from_node        text NOT NULL,
    to_node          text NOT NULL,
    phase            text NOT NULL CHECK (phase IN ('copy', 'catch-up', 'cutover', 'verify', 'switch-destination',
                                                    'switch-others', 'commit', 'cleanup', 'done', 'rolled-back')),
    publication      text NOT NULL,        -- on from_node
    subscription     text NOT NULL,        -- on to_node; its slot on from_node has the same name
    retired          text[] NOT NULL,      -- shardman_retired.<partition>__<id> on from_node, one per table
    verification     text CHECK (verification IN ('passed', 'mismatch', 'lost')),
    verification_detail text,              -- both figures of every partition
    retired_kept     boolean,              -- the retired copies stay on from_node (leaving node, mismatch, lost snapshot)
    rows_moved       bigint,
    bytes_moved      bigint,
    copy_ms          bigint,
    fence_ms         bigint,
    started_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at      timestamptz
);
-- at most one unfinished move per step
CREATE UNIQUE INDEX moves_in_flight_idx ON shardman.moves (step_id) WHERE phase NOT IN ('done', 'rolled-back');
