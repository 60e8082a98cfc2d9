-- A table's grants from the spec (role -> privileges), applied on every node: {"app": ["INSERT", "SELECT"]}.
ALTER TABLE shardman.tables ADD COLUMN grants jsonb NOT NULL DEFAULT '{}';
