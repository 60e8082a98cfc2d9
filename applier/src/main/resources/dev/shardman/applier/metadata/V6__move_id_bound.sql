-- Move ids name retired copies (<partition>_m<id>, <partition>_pkey_m<id>): validate checks those names against
-- PostgreSQL's 63-byte limit up to this bound (DerivedNames.LARGEST_MOVE_ID), so the sequence must not pass it.
ALTER TABLE shardman.moves ALTER COLUMN id SET MAXVALUE 999999999;
