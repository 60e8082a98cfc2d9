-- One row per apply run, written before its first step: how many steps its plan has. The journal only holds the
-- steps that started, so without it a run that failed at its first step would read as "0 of 1 steps done".
CREATE TABLE shardman.plan_runs (
    plan_id    text PRIMARY KEY,
    steps      integer NOT NULL CHECK (steps >= 0),
    started_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
